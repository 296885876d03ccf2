/**
 * The shell's TLS commands, for the TLS chapter:
 *
 *   httpsget <host|url> [path]   a page over HTTPS (HTTP/1.1 in TLS 1.3), as CottonOS has it,
 *                                but with the server's certificate checked
 *   tls <host> [port]            one handshake, step by step: every message, the negotiated
 *                                group and suite, the chain with subjects and dates, the verdict
 *
 * Both take `--connect ADDRESS` first, as curl's --connect-to: connect to
 * ADDRESS but ask for (SNI) and check the host's name, e.g. to talk to a
 * server on the host computer that is forwarded into the virtual network.
 *   tlsroots                     the trust store: each root in /etc/ssl/certs
 *   tlskeylog [on [path] | off]  append each connection's secrets to a file Wireshark reads
 *
 * The TLS work is in net/tls-socket.ts (the session over a TCP socket) and
 * net/tls/ (the protocol); these commands connect, print and clean up.
 * Like the network commands, they run in the shell thread, and Ctrl-C ends
 * whatever they wait for (EINTR).
 */
import { httpGet, type HostResolver } from '../net/http-client';
import type { Network } from '../net/network';
import { formatUnixSeconds } from '../net/pki/utc-time.ts';
import { createSocket, type TcpSocket } from '../net/sockets';
import { DEFAULT_KEY_LOG_PATH, keyLogPath, setKeyLogPath } from '../net/tls-key-log';
import { formatHandshakeStepInfo, lastTlsHandshake } from '../net/tls-history';
import { startTls, TlsFailure, type TlsSocket } from '../net/tls-socket';
import { loadTrustStore, TRUST_STORE_DIRECTORY } from '../net/tls-trust-store';
import { formatIpv4Address, parseIpv4Address } from '../net/wire/addresses';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import { netCommand } from './net-commands';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

export const HTTPS_PORT = 443;
/** httpsget prints at most this much of a body. */
const HTTPS_PRINT_LIMIT = 4096;

export const TLS_COMMANDS: readonly ShellCommand[] = [
  netCommand(
    'httpsget',
    '[--connect ip] <host|url> [path]',
    'fetch a page by HTTPS (TLS 1.3)',
    httpsget,
  ),
  netCommand(
    'tls',
    '[--connect ip] <host> [port]',
    'a TLS 1.3 handshake step by step, and its verdict',
    tls,
  ),
  netCommand('tlsroots', '', `the trusted roots (${TRUST_STORE_DIRECTORY})`, tlsroots),
  netCommand(
    'tlskeylog',
    '[on [path] | off]',
    'log TLS secrets for Wireshark (SSLKEYLOGFILE format)',
    tlskeylog,
  ),
];

/**
 * `--connect ADDRESS` at the front of `args`: a resolver that answers
 * ADDRESS for every name, and the remaining arguments; else the DNS
 * resolver. Null when the address is not one.
 */
function resolverFor(
  args: string[],
  network: Network,
): { resolver: HostResolver; rest: string[] } | null {
  if (args[0] !== '--connect') return { resolver: network.dns, rest: args };
  const address = parseIpv4Address(args[1] ?? '');
  if (address === null) return null;
  return {
    resolver: {
      *resolve() {
        return address;
      },
    },
    rest: args.slice(2),
  };
}

function usage(sh: ShellContext, command: string, text: string): ExitStatus {
  sh.println(`usage: ${command} ${text}`);
  return EXIT_FAILURE;
}

// ---- httpsget -------------------------------------------------------------------------------

function* httpsget(allArgs: string[], sh: ShellContext, network: Network) {
  const resolved = resolverFor(allArgs, network);
  const args = resolved?.rest ?? [];
  if (!resolved || args.length < 1 || args.length > 2) {
    return usage(sh, 'httpsget', '[--connect ip] <host|url> [path]');
  }
  const url =
    args.length === 2 ? `${args[0]}${args[1]!.startsWith('/') ? '' : '/'}${args[1]}` : args[0]!;
  const started = network.stack.now();
  const sessions: TlsSocket[] = [];
  const connectTls = function* (socket: TcpSocket, serverName: string) {
    const session = yield* startTls(network.stack, socket, serverName, sh.kernel);
    sessions.push(session);
    return session;
  };
  const response = yield* httpGet(network.stack, resolved.resolver, url, connectTls);
  for (const session of sessions) sh.println(`(${describeSession(session)})`);
  for (const redirect of response.redirects) sh.println(`(redirected to ${redirect})`);
  sh.println(`HTTP ${response.status} ${response.reason}`);
  const body = response.body;
  const shown = isText(body) ? body.subarray(0, HTTPS_PRINT_LIMIT) : new Uint8Array(0);
  sh.write(printable(shown));
  if (shown.length > 0 && shown[shown.length - 1] !== 0x0a) sh.println();
  const cut = shown.length < body.length ? `, ${shown.length} shown` : '';
  sh.println(`(${body.length} bytes in ${network.stack.now() - started} ms${cut})`);
  return response.status < 400 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/** "TLS 1.3, TLS_AES_128_GCM_SHA256, x25519, certificate of example.com trusted". */
function describeSession(session: TlsSocket): string {
  const negotiated = session.client.handshakeLog.find((step) => step.kind === 'negotiated');
  const suite = negotiated
    ? `${negotiated.version}, ${negotiated.cipherSuite}, ${negotiated.group}`
    : 'TLS';
  return `${suite}; certificate for ${session.serverName} trusted`;
}

function isText(data: Uint8Array): boolean {
  return data
    .subarray(0, HTTPS_PRINT_LIMIT)
    .every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/** Bytes as terminal text: "\n" becomes "\r\n", other control bytes a dot. */
function printable(data: Uint8Array): string {
  const text = new TextDecoder().decode(data);
  return text.replace(/\r?\n/g, '\r\n').replace(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]/g, '.');
}

// ---- tls ------------------------------------------------------------------------------------

function* tls(allArgs: string[], sh: ShellContext, network: Network) {
  const resolved = resolverFor(allArgs, network);
  const args = resolved?.rest ?? [];
  const port = args.length === 2 ? Number(args[1]) : HTTPS_PORT;
  const portOk = Number.isInteger(port) && port >= 1 && port <= 65535;
  if (!resolved || args.length < 1 || args.length > 2 || !portOk) {
    return usage(sh, 'tls', '[--connect ip] <host> [port]');
  }
  const host = args[0]!;
  const address = yield* resolved.resolver.resolve(host);
  sh.println(`connecting to ${host} (${formatIpv4Address(address)}) port ${port}`);
  const tcp = createSocket(network.stack, 'stream');
  const started = network.stack.now();
  let session: TlsSocket | null = null;
  let failure: TlsFailure | null = null;
  try {
    yield* tcp.connect(address, port);
    sh.println(`TCP connected in ${network.stack.now() - started} ms; handshake:`);
    session = yield* startTls(network.stack, tcp, host, sh.kernel);
  } catch (error) {
    if (!(error instanceof TlsFailure)) throw error;
    failure = error;
  } finally {
    tcp.release();
  }
  const handshake = lastTlsHandshake(network.stack);
  for (const step of handshake?.steps ?? []) {
    for (const line of formatHandshakeStepInfo(step, started)) sh.println(line);
  }
  session?.release();
  if (failure) {
    sh.println(`verdict: REFUSED - ${failure.message}`);
    return EXIT_FAILURE;
  }
  sh.println(`verdict: trusted - ${describeSession(session!)}`);
  return EXIT_SUCCESS;
}

// ---- tlsroots, tlskeylog ----------------------------------------------------------------------

function* tlsroots(args: string[], sh: ShellContext) {
  if (args.length !== 0) return usage(sh, 'tlsroots', '');
  const store = yield* loadTrustStore(sh.kernel.vfs);
  for (const file of store.files) sh.println(`${file.path}: ${file.roots} root(s)`);
  for (const root of store.roots) {
    sh.println(`  ${root.subject.text}`);
    sh.println(
      `    valid ${formatUnixSeconds(root.notBefore)} .. ${formatUnixSeconds(root.notAfter)}`,
    );
  }
  for (const problem of store.problems) sh.println(`skipped: ${problem}`);
  sh.println(`${store.roots.length} trusted root(s)`);
}

function tlskeylog(args: string[], sh: ShellContext, network: Network): ExitStatus {
  const [mode, path] = args;
  if (mode === 'on' && args.length <= 2) {
    const file = path ?? DEFAULT_KEY_LOG_PATH;
    if (!file.startsWith('/')) return usage(sh, 'tlskeylog', 'on [absolute path]');
    setKeyLogPath(network.stack, file);
  } else if (mode === 'off' && args.length === 1) {
    setKeyLogPath(network.stack, null);
  } else if (args.length !== 0) {
    return usage(sh, 'tlskeylog', '[on [path] | off]');
  }
  const current = keyLogPath(network.stack);
  sh.println(current ? `TLS key log: on, appending to ${current}` : 'TLS key log: off');
  return EXIT_SUCCESS;
}
