/**
 * Exercise networking/rto: TCP's retransmission timeout from round-trip
 * samples (RFC 6298).
 *
 * The checks feed random samples to `rto`, which runs the kernel's
 * RetransmissionTimeout, and compare every line with RFC 6298; then they
 * open a real connection and read its RTO in `ss`.
 */
import type { Check, Exercise, ExerciseMachine } from '../../../src/runtime/host/exercise';
import { bootOrExplain, randomBelow, runOrExplain } from '../../machine-text';
import { expectOutput, leaseOrExplain } from '../net-checks';
import { starter } from './starter';

interface Estimate {
  readonly srtt: number;
  readonly rttvar: number;
  readonly rto: number;
}

/** RFC 6298 with this kernel's floor and ceiling, for comparison. */
function rfc6298(samples: readonly number[]): Estimate[] {
  let srtt = 0;
  let rttvar = 0;
  return samples.map((r, i) => {
    if (i === 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
      srtt = 0.875 * srtt + 0.125 * r;
    }
    return { srtt, rttvar, rto: Math.min(60_000, Math.max(200, srtt + Math.max(1, 4 * rttvar))) };
  });
}

/** The rows of `rto`'s table after the header and the initial row. */
function rows(output: string): Estimate[] {
  return [...output.matchAll(/^ +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)$/gm)].map((m) => ({
    srtt: Number(m[2]),
    rttvar: Number(m[3]),
    rto: Number(m[4]),
  }));
}

const close = (a: number, b: number): boolean => Math.abs(a - b) < 0.002;

async function compare(
  machine: ExerciseMachine,
  samples: readonly number[],
  hint: string,
): Promise<void> {
  const command = `rto ${samples.join(' ')}`;
  const output = await runOrExplain(machine, command);
  const found = rows(output);
  const expected = rfc6298(samples);
  for (const [i, want] of expected.entries()) {
    const got = found[i];
    if (
      got &&
      close(got.srtt, want.srtt) &&
      close(got.rttvar, want.rttvar) &&
      close(got.rto, want.rto)
    )
      continue;
    throw new Error(
      `After the samples ${samples.slice(0, i + 1).join(', ')} ms, RFC 6298 gives SRTT ${want.srtt.toFixed(3)}, RTTVAR ${want.rttvar.toFixed(3)} and RTO ${want.rto.toFixed(3)} ms, but \`${command}\` printed:\n${output.trim()}\n\n${i === 0 ? 'The first sample sets SRTT = R and RTTVAR = R / 2.' : hint}`,
    );
  }
}

const checks: Check[] = [
  {
    name: 'random round trips give the SRTT, RTTVAR and RTO of RFC 6298',
    async run(machine) {
      await bootOrExplain(machine);
      for (let round = 0; round < 3; round++) {
        const base = 100 + randomBelow(900);
        const samples = Array.from({ length: 4 + randomBelow(6) }, () => base + randomBelow(base));
        await compare(
          machine,
          samples,
          'Later samples: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| (with the old SRTT), then SRTT = 7/8 SRTT + 1/8 R, then RTO = SRTT + max(G, 4 RTTVAR).',
        );
      }
    },
  },
  {
    name: 'the RTO stays within 200 ms and 60 s',
    async run(machine) {
      await bootOrExplain(machine);
      const fast = Array.from({ length: 3 + randomBelow(4) }, () => 1 + randomBelow(20));
      await compare(
        machine,
        fast,
        'A round trip of a few milliseconds gives an RTO under 200 ms: clampRto() raises it to RTO_MIN_MS.',
      );
      const slow = [40_000 + randomBelow(20_000), 40_000 + randomBelow(20_000)];
      await compare(machine, slow, 'An RTO over 60 s is cut to RTO_MAX_MS by clampRto().');
    },
  },
  {
    name: "a real connection's RTO drops from the initial 1 s after its first round trip",
    async run(machine) {
      await bootOrExplain(machine);
      await leaseOrExplain(
        machine,
        'The machine needs an address first: `dhcp` did not get a lease.',
      );
      await expectOutput(
        machine,
        'tcpconnect echo.cotton.test 7',
        /connected/,
        'The echo server did not answer.',
      );
      await runOrExplain(machine, 'tcpsend hello');
      await runOrExplain(machine, 'tcprecv');
      const ss = await runOrExplain(machine, 'ss');
      const rto = /ESTABLISHED.*\brto:(\d+)/.exec(ss);
      if (!rto || Number(rto[1]) !== 200)
        throw new Error(
          `On the virtual network a round trip takes about a millisecond, so after the handshake the connection's RTO should be the 200 ms floor, but \`ss\` shows:\n${ss.trim()}`,
        );
      await runOrExplain(machine, 'tcpclose');
    },
  },
];

export const exercise: Exercise = {
  id: 'networking/rto',
  title: 'The retransmission timeout',
  file: 'src/kernel/net/tcp/rto.ts',
  region: 'rto',
  statement: `
A TCP sender that gets no acknowledgment sends the segment again — but when? Too early and it
floods a slow path with copies; too late and a lost segment stalls the transfer. TCP measures
round trips as it goes and keeps two averages (RFC 6298): the smoothed round-trip time **SRTT**
and its variation **RTTVAR**. The retransmission timeout is SRTT plus four variations.

Write \`addSample(rtt)\` in \`src/kernel/net/tcp/rto.ts\`:

- the first sample: \`SRTT = R\`, \`RTTVAR = R / 2\`;
- each later one: \`RTTVAR = (1 − β)·RTTVAR + β·|SRTT − R|\`, *then* \`SRTT = (1 − α)·SRTT + α·R\`,
  with α = \`RTT_ALPHA\` (1/8) and β = \`RTT_BETA\` (1/4);
- \`RTO = SRTT + max(G, K·RTTVAR)\` (G = \`CLOCK_GRANULARITY_MS\`, K = \`RTT_K\`), clamped with
  \`clampRto()\` to [200 ms, 60 s].

The checks run \`rto\` with random samples (try \`rto 100 120 80 300\`) and read a real
connection's RTO in \`ss\`.
`.trim(),
  starter,
  checks,
};
