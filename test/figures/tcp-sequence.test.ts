/**
 * The sequence diagram of the last TCP connection (Networking chapter),
 * drawn from a fixture of the chapter's machine after `httpget example.com /`.
 */
import { describe, expect, it } from 'vitest';
import { tcpSequenceFigure } from '../../src/figures/tcp-sequence';
import type { ConnectionTrace } from '../../src/kernel/net/tcp/segment-trace';
import { readFixture, shapeOf } from './fixtures';
import { GOLDEN_CONTEXT, liveView, NETWORKING, partDetails } from './net-figures';

const trace = readFixture<ConnectionTrace>('tcp-sequence');
const context = { ...GOLDEN_CONTEXT, id: 'fig-tcp-sequence' };

describe('tcp-sequence figure', () => {
  it('draws the golden SVG from the fixture', async () => {
    await expect(tcpSequenceFigure(trace, context).svg).toMatchFileSnapshot(
      'golden/tcp-sequence.svg',
    );
  });

  it('draws one focusable arrow per segment, the handshake first', () => {
    const { svg } = tcpSequenceFigure(trace, context);
    const details = partDetails(svg);
    expect(details).toHaveLength(trace.segments.length);
    expect(details[0]).toBe(
      'SYN sent by the machine at +0 ms: seq 0, no ACK, window 32768, 0 bytes of data',
    );
    expect(details[1]).toMatch(
      /^SYN\+ACK received from the peer at \+\d+ ms: seq 0, acknowledges 1,/,
    );
    expect(svg).toContain('[SYN] seq=0 win=32768');
  });

  it('dashes a retransmission and says so in words', () => {
    const again = {
      ...trace,
      segments: [...trace.segments, { ...trace.segments.at(-1)!, again: true }],
    };
    const { svg } = tcpSequenceFigure(again, context);
    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(1);
    expect(svg).toContain('(again)');
    expect(partDetails(svg).at(-1)).toMatch(/, a retransmission$/);
  });

  it('says in words what it shows, and explains an empty trace', () => {
    expect(tcpSequenceFigure(trace, context).alt).toMatch(
      /^Sequence diagram of the last TCP connection, 10\.0\.2\.15:\d+ to 93\.184\.215\.14:80: \d+ segments, 0 retransmitted, in order: out SYN; in SYN\+ACK; /,
    );
    expect(tcpSequenceFigure(null, context).alt).toBe(
      'No TCP connection yet: run a command that opens one (httpget, fetch, tcpconnect).',
    );
  });

  it('has the shape of the view of today’s kernel', () => {
    expect(shapeOf(liveView(NETWORKING, 'tcp-sequence'))).toEqual(shapeOf(trace));
  }, 60_000);
});
