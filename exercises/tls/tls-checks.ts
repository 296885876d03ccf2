/**
 * Helpers the TLS exercises share: a machine with the book's disk (its
 * /etc/ssl/certs holds the root CA the client trusts) and an address, and
 * HTTPS fetches that must succeed or must be refused for a given reason.
 */
import type { ExerciseMachine } from '../../src/runtime/host/exercise';
import { plainText } from '../machine-text';
import { expectOutput, leaseOrExplain } from '../networking/net-checks';

/** Boot with the book's disk and get an address: the TLS commands need the root CA and the network. */
export async function bootOnline(machine: ExerciseMachine): Promise<void> {
  try {
    await machine.boot({ bookDisk: true });
  } catch (error) {
    const output = plainText((error as { output?: string }).output ?? '');
    const at = output.indexOf('KERNEL PANIC');
    throw new Error(
      `The kernel did not reach the shell prompt (${(error as Error).message}).${at >= 0 ? `\n\n${output.slice(at).trim()}` : ''}`,
    );
  }
  await leaseOrExplain(machine, 'The machine needs an address first: `dhcp` did not get a lease.');
}

/** `httpsget HOST /` must print the host's page: the handshake and every check passed. */
export async function expectPage(
  machine: ExerciseMachine,
  host: string,
  hint: string,
): Promise<void> {
  await expectOutput(machine, `httpsget ${host} /`, /HTTP 200/, hint);
}

/** `httpsget HOST /` must be refused, with a message that matches `reason`. */
export async function expectRefusal(
  machine: ExerciseMachine,
  host: string,
  reason: RegExp,
  hint: string,
): Promise<void> {
  await expectOutput(machine, `httpsget ${host} /`, reason, hint);
}
