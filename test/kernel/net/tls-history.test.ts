/**
 * The TLS chapter's view agrees with `tls HOST`: the `tls-handshake` view
 * is the kernel's record of the last handshake, and formatHandshakeStepInfo()
 * of its steps is what `tls` printed for them; a refused handshake is
 * recorded with its reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatHandshakeStepInfo,
  type TlsHandshakeInfo,
} from '../../../src/kernel/net/tls-history';
import { InspectedMachine } from '../../support/inspected-machine';

let machine: InspectedMachine;
beforeAll(() => {
  machine = new InspectedMachine();
});

/** The step lines of `tls` output: between "handshake:" and the verdict. */
function stepLines(output: string[]): string[] {
  const from = output.findIndex((line) => line.endsWith('handshake:'));
  const to = output.findIndex((line) => line.startsWith('verdict:'));
  return output.slice(from + 1, to);
}

describe('the TLS handshake view', () => {
  it('is null before any TLS connection', () => {
    expect(machine.view('tls-handshake')).toBeNull();
  });

  it('records every message, the negotiation and the chain that tls example.com prints', () => {
    const output = machine.run('tls example.com');
    const info = machine.view<TlsHandshakeInfo>('tls-handshake');
    expect(info.serverName).toBe('example.com');
    expect(info.failure).toBeNull();
    const messages = info.steps.flatMap((s) =>
      s.kind === 'sent' || s.kind === 'received' ? [s.message] : [],
    );
    expect(messages.slice(0, 6)).toEqual([
      'ClientHello',
      'ServerHello',
      'EncryptedExtensions',
      'Certificate',
      'CertificateVerify',
      'Finished',
    ]);
    const chain = info.steps.find((s) => s.kind === 'certificates');
    expect(chain?.kind === 'certificates' && chain.certificates[0]).toMatchObject({
      names: expect.arrayContaining(['example.com']),
    });
    const started = info.steps[0]!.at;
    const printed = stepLines(output);
    const formatted = info.steps.flatMap((s) => formatHandshakeStepInfo(s, started));
    // `tls` counts from before the TCP handshake, the view from the ClientHello: compare past the times.
    const untimed = (lines: string[]) => lines.map((line) => line.replace(/^\[ *\d+ ms\]/, '[t]'));
    expect(untimed(printed)).toEqual(untimed(formatted).slice(0, printed.length));
    expect(JSON.parse(JSON.stringify(info))).toEqual(info);
  }, 60_000);

  it('records a refused handshake with its reason', () => {
    machine.run('httpsget expired.cotton.test /');
    const info = machine.view<TlsHandshakeInfo>('tls-handshake');
    expect(info.serverName).toBe('expired.cotton.test');
    expect(info.failure).toMatch(/^certificate expired/);
    expect(info.steps.some((s) => s.kind === 'chain-verdict' && !s.ok)).toBe(true);
  }, 60_000);
});
