/**
 * The networking chapter's views agree with the commands that print them:
 * `ss` is formatSocketTable() of the `tcp-connections` view, and `tcptrace`
 * is formatConnectionTrace() of the `tcp-sequence` view, on a machine that
 * opened and closed connections.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSocketTable, type SocketTable } from '../../../src/kernel/net/socket-table';
import {
  type ConnectionTrace,
  formatConnectionTrace,
} from '../../../src/kernel/net/tcp/segment-trace';
import { InspectedMachine } from '../../support/inspected-machine';

let machine: InspectedMachine;
beforeAll(() => {
  machine = new InspectedMachine();
});

describe('the socket table view', () => {
  it('is empty of TCP before any connection, and ss says the same', () => {
    const table = machine.view<SocketTable>('tcp-connections');
    expect(table.tcp).toEqual([]);
    expect(machine.run('ss')).toEqual(formatSocketTable(table));
    expect(machine.view('tcp-sequence')).toBeNull();
  });

  it('holds an open connection with its state, endpoints and timer, as ss prints it', () => {
    machine.run('tcpconnect echo.cotton.test 7');
    const table = machine.view<SocketTable>('tcp-connections');
    expect(table.tcp).toHaveLength(1);
    const [connection] = table.tcp;
    expect(connection).toMatchObject({
      kind: 'connection',
      state: 'ESTABLISHED',
      peer: '203.0.113.7:7',
      recvQ: 0,
      sendQ: 0,
    });
    expect(JSON.parse(JSON.stringify(table))).toEqual(table);
    expect(machine.run('ss')).toEqual(formatSocketTable(table));
  }, 60_000);

  it("shows the closed echo connection in TIME-WAIT, the page's in LAST-ACK, and its segments as tcptrace prints them", () => {
    machine.run('tcpclose');
    machine.run('httpget example.com /');
    const table = machine.view<SocketTable>('tcp-connections');
    expect(table.tcp.map((s) => [s.state, s.peer])).toEqual([
      ['TIME-WAIT', '203.0.113.7:7'],
      ['LAST-ACK', '93.184.215.14:80'],
    ]);
    const printed = machine.run('ss'); // by now the page's connection has closed
    expect(printed).toEqual(formatSocketTable(machine.view<SocketTable>('tcp-connections')));
    expect(printed).toHaveLength(2);
    const trace = machine.view<ConnectionTrace>('tcp-sequence');
    expect(trace.peer).toBe('93.184.215.14:80');
    expect(trace.segments[0]).toMatchObject({ sent: true, flags: ['SYN'], sequence: 0 });
    expect(trace.segments[1]).toMatchObject({
      sent: false,
      flags: ['SYN', 'ACK'],
      acknowledgment: 1,
    });
    expect(trace.segments.some((s) => !s.sent && s.length > 0)).toBe(true);
    expect(machine.run('tcptrace')).toEqual(formatConnectionTrace(trace));
  }, 60_000);
});
