/**
 * The socket table figure (Networking chapter), drawn from a fixture of the
 * chapter's machine taken right after `tcpconnect echo.cotton.test 7` and
 * `httpget example.com /` (before the chapter's `ss`, while the page's
 * connection still closes): one connection ESTABLISHED, one in LAST-ACK.
 */
import { describe, expect, it } from 'vitest';
import { tcpConnectionsFigure } from '../../src/figures/tcp-connections';
import type { SocketTable } from '../../src/kernel/net/socket-table';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, liveView, NETWORKING, partDetails } from './net-figures';

const table = readFixture<SocketTable>('tcp-connections');
const context = { ...GOLDEN_CONTEXT, id: 'fig-tcp-connections' };

describe('tcp-connections figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(tcpConnectionsFigure(table, context).svg).toMatchFileSnapshot(
      'golden/tcp-connections.svg',
    );
  });

  it('has a focusable row per socket that names its state and endpoints', () => {
    const details = partDetails(tcpConnectionsFigure(table, context).svg);
    expect(details).toEqual([
      expect.stringMatching(/^ESTABLISHED: 10\.0\.2\.15:\d+ to 203\.0\.113\.7:7; /),
      expect.stringMatching(/^LAST-ACK: 10\.0\.2\.15:\d+ to 93\.184\.215\.14:80; /),
    ]);
  });

  it('says in words what it shows, writes state names and not only colours, and names its source', () => {
    const figure = tcpConnectionsFigure(table, context);
    expect(figure.alt).toContain("The machine's TCP sockets, 2: ESTABLISHED");
    expect(figure.svg).toContain('>ESTABLISHED</text>');
    expect(figure.svg).toContain('>LAST-ACK</text>');
    expect(figure.caption).toBe("From the kernel's socket table (what ss prints), at t = 1.234 s");
  });

  it('draws an empty table and a machine without a network card', () => {
    expect(tcpConnectionsFigure({ tcp: [], udpPorts: [] }, context).alt).toBe(
      'The machine has no TCP sockets.',
    );
    expect(tcpConnectionsFigure(null, context).alt).toBe(
      'This machine has no network card, so no sockets.',
    );
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(NETWORKING, 'tcp-connections'))).toEqual(shapeOf(table));
  }, 60_000);
});
