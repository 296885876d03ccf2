/**
 * Recording scripts drive the desktop: `key`, `keys` and `mouse` steps become
 * PS/2 input, so a script can start the desktop, open a window and type in it.
 */
import { describe, expect, it } from 'vitest';
import { parseScript, ScriptError } from '../../src/nex/script';
import { recordScript } from '../../src/runtime/node/script-runner';
import { bootFromRepo } from '../../src/runtime/node/node-host';

describe('script steps for the desktop', () => {
  it('parses key chords, typed keys (with escapes) and mouse specs', () => {
    const script = parseScript('key ctrl+s # save\nkeys ls\\n\nmouse move 10 20\n');
    expect(script.steps).toEqual([
      { kind: 'key', spec: 'ctrl+s', line: 1 },
      { kind: 'keys', spec: 'ls\n', line: 2 },
      { kind: 'mouse', spec: 'move 10 20', line: 3 },
    ]);
    expect(() => parseScript('mouse\n')).toThrow(ScriptError);
  });

  it('runs them on the machine, and names the line of a bad one', () => {
    const session = recordScript(
      parseScript('disk 8M\nprompt\nrun desktop\nmouse click 30 755\nkey ctrl+s\nwait 100ms\n'),
      bootFromRepo,
    );
    expect(session.events.length).toBeGreaterThan(0);
    expect(() => recordScript(parseScript('prompt\nmouse wiggle\n'), bootFromRepo)).toThrow(
      /script line 2: mouse: .*expected move/,
    );
  });
});
