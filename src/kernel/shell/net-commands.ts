/**
 * The shell's network commands, as CottonOS has them: the interface (net,
 * setip, setmask, setgw, setdns, dhcp), what the stack counted (netstats,
 * arptable, ss, tcptrace), and small clients for every layer (arp, ping, dns,
 * tcpconnect/tcpsend/tcprecv/tcpclose, udpsend/udprecv, httpget).
 *
 * The commands run in the shell thread and use the same kernel objects as
 * the socket system calls (net/sockets.ts), so `tcpconnect` followed by
 * `ss` shows the connection the way a program's would appear. Whatever
 * waits (ping's replies, a DNS answer, a download) can be cut short with
 * Ctrl-C: the console's interrupt key marks the shell thread as signalled,
 * and the wait it is in ends with EINTR, exactly as a program's read would.
 */
import { formatSize } from '../lib/format';
import { SyscallError } from '../lib/errno';
import { DhcpError, describeLease } from '../net/dhcp-client';
import { DnsError } from '../net/dns-resolver';
import { HttpError, httpGet } from '../net/http-client';
import type { Network } from '../net/network';
import { formatSocketTable, socketTable } from '../net/socket-table';
import { createSocket, POLLERR, POLLHUP, POLLIN, POLLOUT, type TcpSocket } from '../net/sockets';
import { formatConnectionTrace } from '../net/tcp/segment-trace';
import type { TcpConnection } from '../net/tcp/tcp-connection';
import { formatIpv4Address, parseIpv4Address, type Ipv4Address } from '../net/wire/addresses';
import { SIGINT } from '../proc/signals';
import { currentTask, wake } from '../sched/scheduler';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { ExitStatus, ShellCommand, ShellContext } from './command';

export type NetCommand = (
  args: string[],
  sh: ShellContext,
  network: Network,
) => Generator<void, ExitStatus | void, void> | ExitStatus | void;

/** Echo requests per `ping` unless a count is given, their interval and reply timeout. */
const PING_DEFAULT_COUNT = 4;
const PING_INTERVAL_MS = 1000;
const PING_DATA_BYTES = 56;
/** How long tcprecv and arp wait for an answer. */
const TCP_RECEIVE_WAIT_MS = 2000;
const ARP_WAIT_MS = 3500;
const UDP_RECEIVE_WAIT_MS = 10_000;
/** httpget prints at most this much of a body. */
const HTTP_PRINT_LIMIT = 4096;

/** The shell's one open connection (tcpconnect ... tcpclose), per shell. */
const shellConnections = new WeakMap<ShellContext, TcpSocket>();

export const NET_COMMANDS: readonly ShellCommand[] = [
  netCommand('net', '', 'the network interface: MAC, address, mask, gateway, DNS, link', net),
  netCommand(
    'netstats',
    '',
    'network counters: NIC, Ethernet, ARP, IPv4, ICMP, UDP, TCP',
    netstats,
  ),
  netCommand('arptable', '', 'the ARP cache', arptable),
  netCommand('arp', '<ip>', 'resolve an address on the local network', arp),
  netCommand('ping', '<host> [count]', 'send ICMP echo requests, show round-trip times', ping),
  netCommand('dhcp', '', 'get a new lease from the DHCP server', dhcp),
  netCommand('dns', '[name]', 'resolve a name (without one: the DNS cache)', dns),
  netCommand('setip', '<ip>', 'set the interface address', setter('address')),
  netCommand('setmask', '<mask>', 'set the subnet mask', setter('mask')),
  netCommand('setgw', '<ip>', 'set the default gateway', setter('gateway')),
  netCommand('setdns', '<ip>', 'set the DNS server', setter('dnsServer')),
  netCommand('tcpconnect', '<host> <port>', "open the shell's TCP connection", tcpconnect),
  netCommand('tcpsend', '<text...>', 'send a line (with CRLF) on the connection', tcpsend),
  netCommand('tcprecv', '', 'print what the connection received', tcprecv),
  netCommand('tcpclose', '', 'close the connection', tcpclose),
  netCommand('httpget', '<host|url> [path]', 'fetch a page by HTTP/1.1', httpget),
  netCommand('udpsend', '<host> <port> <text...>', 'send one UDP datagram', udpsend),
  netCommand('udprecv', '<port>', 'wait for one UDP datagram on a port', udprecv),
  netCommand('ss', '', 'TCP connections and listeners, UDP ports', ss),
  netCommand('tcptrace', '', 'the segments of the last TCP connection', tcptrace),
  netCommand(
    'tcpbulk',
    '<host> <port> <bytes> [echo]',
    'send bytes as fast as TCP can (and check the echo)',
    tcpbulk,
  ),
];

/** A command that needs the network: says so without a card, reports errors as messages. */
export function netCommand(
  name: string,
  usage: string,
  help: string,
  run: NetCommand,
): ShellCommand {
  return {
    name,
    ...(usage ? { usage } : {}),
    help,
    *run(args, sh): Generator<void, ExitStatus, void> {
      const network = sh.kernel.net;
      if (!network) {
        sh.println(`${name}: no network card`);
        return EXIT_FAILURE;
      }
      try {
        const result = yield* interruptible(sh, asGenerator(run(args, sh, network)));
        return result ?? EXIT_SUCCESS;
      } catch (error) {
        if (!isNetworkError(error)) throw error;
        sh.println(
          `${name}: ${error instanceof SyscallError && error.code === 'EINTR' ? 'interrupted' : error.message}`,
        );
        return EXIT_FAILURE;
      }
    },
  };
}

function isNetworkError(error: unknown): error is Error {
  return (
    error instanceof SyscallError ||
    error instanceof DnsError ||
    error instanceof HttpError ||
    error instanceof DhcpError
  );
}

function* asGenerator<T>(value: Generator<void, T, void> | T): Generator<void, T, void> {
  if (typeof value === 'object' && value !== null && 'next' in value) return yield* value;
  return value as T;
}

/** Run `body` with Ctrl-C interrupting whatever it waits for (EINTR). */
function* interruptible<T>(sh: ShellContext, body: Generator<void, T, void>) {
  const task = currentTask();
  const console = sh.kernel.console;
  console.interruptKey = () => {
    console.write('^C\r\n');
    task.pendingSignal = SIGINT;
    wake(task);
  };
  try {
    return yield* body;
  } finally {
    console.interruptKey = null;
    task.pendingSignal = 0;
  }
}

/** Wait (interruptibly) until `done()` or `ms` of virtual time pass; returns done(). */
function* waitFor(
  network: Network,
  ms: number,
  done: () => boolean,
): Generator<void, boolean, void> {
  const deadline = network.stack.now() + ms;
  while (!done() && network.stack.now() < deadline) yield* network.stack.waitForActivity(deadline);
  return done();
}

function usage(sh: ShellContext, command: string, text: string): ExitStatus {
  sh.println(`usage: ${command} ${text}`);
  return EXIT_FAILURE;
}

function* resolveHost(network: Network, name: string): Generator<void, Ipv4Address, void> {
  return yield* network.dns.resolve(name);
}

const show = formatIpv4Address;

// ---- The interface ----------------------------------------------------------

function net(_args: string[], sh: ShellContext, network: Network): void {
  const iface = network.stack.interface;
  sh.println(
    `${iface.name}: RTL8139 at io 0x${network.nic.ioBase.toString(16)}, irq ${network.nic.irq}, ${network.nic.linkStatus()}`,
  );
  sh.println(`  mac      ${iface.mac}`);
  sh.println(`  address  ${show(iface.address)}`);
  sh.println(`  mask     ${show(iface.mask)}`);
  sh.println(`  gateway  ${show(iface.gateway)}`);
  sh.println(`  dns      ${show(iface.dnsServer)}`);
  const lease = network.dhcp.lease;
  sh.println(`  dhcp     ${lease ? describeLease(lease) : 'no lease'}`);
}

function setter(field: 'address' | 'mask' | 'gateway' | 'dnsServer'): NetCommand {
  return (args, sh, network) => {
    const value = args.length === 1 ? parseIpv4Address(args[0]!) : null;
    if (value === null) return usage(sh, 'set', '<a.b.c.d>');
    network.stack.interface[field] = value;
    return EXIT_SUCCESS;
  };
}

function* dhcp(_args: string[], sh: ShellContext, network: Network) {
  const lease = yield* network.dhcp.acquire();
  sh.println(describeLease(lease));
}

// ---- Counters ----------------------------------------------------------------

function netstats(_args: string[], sh: ShellContext, network: Network): void {
  const n = network.nic.counters;
  const c = network.stack.counters;
  const arp = network.stack.arp.counters;
  const rows: [string, string][] = [
    [
      'nic',
      `irqs ${n.interrupts}; rx ${n.rxPackets} frames ${formatSize(n.rxBytes)}, errors ${n.rxErrors}, overflows ${n.rxOverflows}, dropped ${n.rxDropped}`,
    ],
    [
      '',
      `tx ${n.txPackets} frames ${formatSize(n.txBytes)}, errors ${n.txErrors}, dropped ${n.txDropped}`,
    ],
    [
      'ethernet',
      `in ${c.framesReceived}, out ${c.framesSent}, unknown types ${c.unknownEtherTypes}`,
    ],
    [
      'arp',
      `requests sent ${c.arpRequestsSent}, replies sent ${c.arpRepliesSent}, unresolved ${arp.failedResolutions} (${arp.unresolvedDrops} datagrams dropped)`,
    ],
    [
      'ipv4',
      `in ${c.ipv4Received}, out ${c.ipv4Sent}, not for us ${c.ipv4NotForUs}, fragments dropped ${c.fragmentsDropped}, unknown protocols ${c.unknownProtocols}, unroutable ${c.unroutable}`,
    ],
    ['icmp', `echo replies sent ${c.icmpEchoRepliesSent}`],
    ['udp', `in ${c.udpReceived}, out ${c.udpSent}, no port ${c.udpNoPort}`],
    ['tcp', `segments in ${c.tcpSegmentsReceived}, out ${c.tcpSegmentsSent}`],
  ];
  const malformed = Object.entries(c.malformed).sort(([a], [b]) => (a < b ? -1 : 1));
  rows.push([
    'malformed',
    malformed.length === 0
      ? 'none'
      : malformed.map(([layer, count]) => `${layer} ${count}`).join(', '),
  ]);
  for (const [label, text] of rows) sh.println(`${label.padEnd(10)} ${text}`);
}

function arptable(_args: string[], sh: ShellContext, network: Network): void {
  const entries = network.stack.arp.list(network.stack.now());
  if (entries.length === 0) sh.println('(empty)');
  for (const entry of entries) {
    const state = entry.mac
      ? `${entry.mac}  ${Math.ceil(entry.expiresInMs / 1000)} s`
      : '(incomplete)';
    sh.println(`${show(entry.address).padEnd(16)} ${state}`);
  }
}

function ss(_args: string[], sh: ShellContext, network: Network): void {
  for (const line of formatSocketTable(socketTable(network.stack))) sh.println(line);
}

function tcptrace(_args: string[], sh: ShellContext, network: Network): void {
  const trace = network.stack.tcp.trace.lastConnection();
  if (!trace) sh.println('tcptrace: no TCP connection yet');
  else for (const line of formatConnectionTrace(trace)) sh.println(line);
}

// ---- Clients -------------------------------------------------------------------

function* arp(args: string[], sh: ShellContext, network: Network) {
  const address = args.length === 1 ? parseIpv4Address(args[0]!) : null;
  if (address === null) return usage(sh, 'arp', '<a.b.c.d>');
  const stack = network.stack;
  if (!stack.arp.lookup(address, stack.now())) stack.sendArpRequest(address);
  const found = () => stack.arp.lookup(address, stack.now()) !== null;
  if (!(yield* waitFor(network, ARP_WAIT_MS, found))) {
    sh.println(`arp: ${show(address)}: no answer`);
    return EXIT_FAILURE;
  }
  sh.println(`${show(address)} is at ${stack.arp.lookup(address, stack.now())}`);
  return EXIT_SUCCESS;
}

let pingIdentifier = 0;

function* ping(args: string[], sh: ShellContext, network: Network) {
  const count = args.length === 2 ? Number(args[1]) : PING_DEFAULT_COUNT;
  if (args.length < 1 || args.length > 2 || !Number.isInteger(count) || count < 1) {
    return usage(sh, 'ping', '<host> [count]');
  }
  const stack = network.stack;
  const destination = yield* resolveHost(network, args[0]!);
  sh.println(`PING ${args[0]} (${show(destination)}) ${PING_DATA_BYTES} data bytes`);
  const identifier = (pingIdentifier = (pingIdentifier + 1) & 0xffff);
  const data = Uint8Array.from({ length: PING_DATA_BYTES }, (_, i) => i & 0xff);
  const rtts: number[] = [];
  let sent = 0;
  try {
    for (let sequence = 1; sequence <= count; sequence++) {
      const sentAt = stack.now();
      stack.sendEchoRequest(destination, identifier, sequence, data);
      sent++;
      const answered = () => stack.pings.replyTo(identifier, sequence) !== null;
      yield* waitFor(network, PING_INTERVAL_MS, answered);
      const reply = stack.pings.replyTo(identifier, sequence);
      stack.pings.forget(identifier, sequence);
      if (reply) {
        rtts.push(reply.rttMicros / 1000);
        sh.println(
          `${reply.bytes + 8} bytes from ${show(reply.from)}: icmp_seq=${sequence} ttl=${reply.ttl} time=${(reply.rttMicros / 1000).toFixed(3)} ms`,
        );
      }
      if (sequence < count)
        yield* waitFor(network, sentAt + PING_INTERVAL_MS - stack.now(), () => false);
    }
  } finally {
    printPingSummary(sh, args[0]!, sent, rtts);
  }
  return rtts.length > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

function printPingSummary(sh: ShellContext, host: string, sent: number, rtts: number[]): void {
  const loss = sent === 0 ? 0 : Math.round((100 * (sent - rtts.length)) / sent);
  sh.println(`--- ${host} ping statistics ---`);
  sh.println(`${sent} packets transmitted, ${rtts.length} received, ${loss}% packet loss`);
  if (rtts.length === 0) return;
  const average = rtts.reduce((a, b) => a + b, 0) / rtts.length;
  const fixed = (ms: number) => ms.toFixed(3);
  sh.println(
    `rtt min/avg/max = ${fixed(Math.min(...rtts))}/${fixed(average)}/${fixed(Math.max(...rtts))} ms`,
  );
}

function* dns(args: string[], sh: ShellContext, network: Network) {
  if (args.length === 0) {
    const entries = network.dns.entries();
    if (entries.length === 0) sh.println('(cache empty)');
    for (const entry of entries)
      sh.println(
        `${entry.name.padEnd(28)} ${show(entry.address).padEnd(16)} ttl ${entry.ttlSeconds} s`,
      );
    return EXIT_SUCCESS;
  }
  if (args.length !== 1) return usage(sh, 'dns', '[name]');
  const answer = yield* network.dns.lookup(args[0]!);
  for (const alias of answer.chain) sh.println(`${args[0]} is an alias for ${alias}`);
  const source = answer.fromCache ? ' (cached)' : '';
  sh.println(`${args[0]} has address ${show(answer.address)}, ttl ${answer.ttlSeconds} s${source}`);
  return EXIT_SUCCESS;
}

function* tcpconnect(args: string[], sh: ShellContext, network: Network) {
  const port = Number(args[1]);
  if (args.length !== 2 || !Number.isInteger(port)) return usage(sh, 'tcpconnect', '<host> <port>');
  if (shellConnections.has(sh)) {
    sh.println('tcpconnect: a connection is open (tcpclose first)');
    return EXIT_FAILURE;
  }
  const address = yield* resolveHost(network, args[0]!);
  const socket = createSocket(network.stack, 'stream');
  try {
    yield* socket.connect(address, port);
  } catch (error) {
    socket.release();
    throw error;
  }
  shellConnections.set(sh, socket);
  const local = socket.localAddress!;
  sh.println(`connected ${show(local.address)}:${local.port} -> ${show(address)}:${port}`);
  return EXIT_SUCCESS;
}

function shellConnection(sh: ShellContext, command: string): TcpSocket | null {
  const socket = shellConnections.get(sh) ?? null;
  if (!socket) sh.println(`${command}: no connection (tcpconnect first)`);
  return socket;
}

function* tcpsend(args: string[], sh: ShellContext) {
  const socket = shellConnection(sh, 'tcpsend');
  if (!socket) return EXIT_FAILURE;
  const sent = yield* socket.send(new TextEncoder().encode(`${args.join(' ')}\r\n`));
  sh.println(`sent ${sent} bytes`);
  return EXIT_SUCCESS;
}

function* tcprecv(_args: string[], sh: ShellContext, network: Network) {
  const socket = shellConnection(sh, 'tcprecv');
  if (!socket) return EXIT_FAILURE;
  const connection = socket.tcpConnection!;
  yield* waitFor(network, TCP_RECEIVE_WAIT_MS, () => connection.readable);
  if (!connection.readable) {
    sh.println('(nothing received)');
    return EXIT_SUCCESS;
  }
  const data = yield* socket.recv(HTTP_PRINT_LIMIT);
  if (data.length === 0) sh.println('(the peer closed the connection)');
  else sh.write(printable(data));
  return EXIT_SUCCESS;
}

function tcpclose(_args: string[], sh: ShellContext) {
  const socket = shellConnection(sh, 'tcpclose');
  if (!socket) return EXIT_FAILURE;
  socket.release();
  shellConnections.delete(sh);
  sh.println('closed');
  return EXIT_SUCCESS;
}

function* httpget(args: string[], sh: ShellContext, network: Network) {
  if (args.length < 1 || args.length > 2) return usage(sh, 'httpget', '<host|url> [path]');
  const url =
    args.length === 2 ? `${args[0]}${args[1]!.startsWith('/') ? '' : '/'}${args[1]}` : args[0]!;
  const started = network.stack.now();
  const response = yield* httpGet(network.stack, network.dns, url);
  for (const redirect of response.redirects) sh.println(`(redirected to ${redirect})`);
  sh.println(`HTTP ${response.status} ${response.reason}`);
  const body = response.body;
  const shown = isText(body) ? body.subarray(0, HTTP_PRINT_LIMIT) : new Uint8Array(0);
  sh.write(printable(shown));
  if (shown.length > 0 && shown[shown.length - 1] !== 0x0a) sh.println();
  const cut = shown.length < body.length ? `, ${shown.length} shown` : '';
  sh.println(`(${body.length} bytes in ${network.stack.now() - started} ms${cut})`);
  return response.status < 400 ? EXIT_SUCCESS : EXIT_FAILURE;
}

function* udpsend(args: string[], sh: ShellContext, network: Network) {
  const port = Number(args[1]);
  if (args.length < 3 || !Number.isInteger(port))
    return usage(sh, 'udpsend', '<host> <port> <text...>');
  const address = yield* resolveHost(network, args[0]!);
  const socket = createSocket(network.stack, 'datagram');
  try {
    const sent = yield* socket.sendTo(
      new TextEncoder().encode(args.slice(2).join(' ')),
      address,
      port,
    );
    sh.println(
      `sent ${sent} bytes to ${show(address)}:${port} from port ${socket.localAddress!.port}`,
    );
  } finally {
    socket.release();
  }
  return EXIT_SUCCESS;
}

function* udprecv(args: string[], sh: ShellContext, network: Network) {
  const port = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(port) || port < 1)
    return usage(sh, 'udprecv', '<port>');
  const socket = createSocket(network.stack, 'datagram');
  socket.bind(network.stack.interface.address, port);
  try {
    const deadline = network.stack.now() + UDP_RECEIVE_WAIT_MS;
    const datagram = yield* socket.recvFromBefore(2048, deadline);
    if (!datagram) {
      sh.println('(nothing received)');
      return EXIT_FAILURE;
    }
    sh.println(`${datagram.data.length} bytes from ${show(datagram.address)}:${datagram.port}:`);
    sh.println(printable(datagram.data));
  } finally {
    socket.release();
  }
  return EXIT_SUCCESS;
}

/**
 * The bytes of a bulk transfer: byte i is (i ^ i >> 8 ^ i >> 16) & 0xff, a
 * pattern that a lost, doubled or swapped segment breaks. Built 256 bytes
 * at a time (within a block only the low byte changes).
 */
function bulkData(total: number): Uint8Array {
  const data = new Uint8Array(total);
  for (let block = 0; block < total; block += 256) {
    const high = ((block >>> 8) ^ (block >>> 16)) & 0xff;
    const end = Math.min(256, total - block);
    for (let j = 0; j < end; j++) data[block + j] = j ^ high;
  }
  return data;
}

/** Send `bytes` to host:port (reading the echo back and comparing, with `echo`) and time it. */
function* tcpbulk(args: string[], sh: ShellContext, network: Network) {
  const port = Number(args[1]);
  const total = Number(args[2]);
  const echo = args[3] === 'echo';
  if (args.length < 3 || args.length > 4 || !Number.isInteger(port) || !Number.isInteger(total)) {
    return usage(sh, 'tcpbulk', '<host> <port> <bytes> [echo]');
  }
  const data = bulkData(total);
  const address = yield* resolveHost(network, args[0]!);
  const socket = createSocket(network.stack, 'stream');
  try {
    yield* socket.connect(address, port);
    const started = network.stack.now();
    const mismatch = yield* pump(socket, network, data, echo);
    const connection = socket.tcpConnection!;
    yield* waitUntilSent(network, connection);
    const ms = Math.max(network.stack.now() - started, 1);
    const rate = (total / 1048576 / (ms / 1000)).toFixed(2);
    sh.println(`sent ${total} bytes in ${ms} ms (${rate} MiB/s of virtual time)`);
    if (echo)
      sh.println(mismatch < 0 ? 'echo: every byte came back' : `echo: differs at byte ${mismatch}`);
    const c = connection.counters;
    sh.println(
      `retransmits ${c.retransmits}, timeouts ${c.timeouts}, fast retransmits ${c.fastRetransmits}`,
    );
    return mismatch < 0 ? EXIT_SUCCESS : EXIT_FAILURE;
  } finally {
    socket.release();
  }
}

/** Write all of `data`, reading the echo as it comes; returns the first wrong echoed byte, or -1. */
function* pump(socket: TcpSocket, network: Network, data: Uint8Array, echo: boolean) {
  let sent = 0;
  let received = echo ? 0 : data.length;
  let mismatch = -1;
  while (sent < data.length || received < data.length) {
    const before = sent + received;
    const events = socket.pollEvents(); // only call what will not block, in either direction
    if (events & (POLLERR | POLLHUP)) break;
    if (sent < data.length && events & POLLOUT) {
      socket.nonBlocking = true; // send what fits now, then go on reading
      sent += yield* socket.send(data.subarray(sent));
      socket.nonBlocking = false;
    }
    if (received < data.length && events & POLLIN) {
      const back = yield* socket.recv(65536);
      if (back.length === 0) break;
      for (let i = 0; i < back.length && mismatch < 0; i++) {
        if (back[i] !== data[received + i]) mismatch = received + i;
      }
      received += back.length;
    }
    if (sent + received === before) yield* network.stack.waitForActivity();
  }
  if (received < data.length && mismatch < 0) mismatch = received;
  return mismatch;
}

/** Until the peer has acknowledged every byte written (or the connection died). */
function* waitUntilSent(network: Network, connection: TcpConnection) {
  while (connection.bytesUnacknowledged > 0 && !connection.closed) {
    yield* network.stack.waitForActivity();
  }
}

/** Text, not binary: no control bytes other than tab, CR and LF in the first bytes. */
function isText(data: Uint8Array): boolean {
  return data
    .subarray(0, HTTP_PRINT_LIMIT)
    .every((byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d);
}

/** Bytes as terminal text: "\n" becomes "\r\n", other control bytes a dot. */
function printable(data: Uint8Array): string {
  const text = new TextDecoder().decode(data);
  return text.replace(/\r?\n/g, '\r\n').replace(/[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]/g, '.');
}
