import { describe, expect, it } from 'vitest';
import { mousePacket } from '../../../src/emu/ps2-devices';
import {
  MOUSE_BUTTON_LEFT,
  MOUSE_BUTTON_MIDDLE,
  MOUSE_BUTTON_RIGHT,
  MousePacketDecoder,
  Ps2Mouse,
  Ps2MouseError,
  decodeMousePacket,
  type MousePacket,
} from '../../../src/kernel/drivers/ps2-mouse';
import { random, testSeed } from '../gui/helpers';
import { driverMachine } from './machine';

function feedAll(decoder: MousePacketDecoder, bytes: number[]): MousePacket[] {
  return bytes.flatMap((byte) => decoder.feed(byte) ?? []);
}

/** Read interrupts until the controller has nothing more for the mouse. */
function drain(mouse: Ps2Mouse): MousePacket[] {
  const packets: MousePacket[] = [];
  for (let irq = 0; irq < 100; irq++) {
    const packet = mouse.handleInterrupt();
    if (packet) packets.push(packet);
  }
  return packets;
}

describe('mouse packet decoding', () => {
  it('reads 9-bit signed movement, turns y to point down the screen, and reads the buttons', () => {
    expect(decodeMousePacket(...mousePacket(5, 3, MOUSE_BUTTON_LEFT))).toEqual({
      dx: 5,
      dy: -3,
      buttons: 1,
    });
    expect(
      decodeMousePacket(...mousePacket(-1, -255, MOUSE_BUTTON_RIGHT | MOUSE_BUTTON_MIDDLE)),
    ).toEqual({ dx: -1, dy: 255, buttons: 6 });
    expect(decodeMousePacket(...mousePacket(-256, 0, 0))).toEqual({ dx: -256, dy: -0, buttons: 0 });
  });

  it('drops the movement of an axis that overflowed, keeping the buttons', () => {
    expect(decodeMousePacket(0x08 | 0x40 | 0x01, 0x12, 0x04)).toEqual({
      dx: 0,
      dy: -4,
      buttons: 1,
    });
    expect(decodeMousePacket(0x08 | 0x80 | 0x20, 0x03, 0xf0)).toEqual({
      dx: 3,
      dy: -0,
      buttons: 0,
    });
  });

  it('assembles packets from single bytes', () => {
    const bytes = [...mousePacket(1, 2, 0), ...mousePacket(-3, -4, MOUSE_BUTTON_LEFT)];
    expect(feedAll(new MousePacketDecoder(), bytes)).toEqual([
      { dx: 1, dy: -2, buttons: 0 },
      { dx: -3, dy: 4, buttons: 1 },
    ]);
  });

  it('falls back into step at the first packet whose bytes cannot start one', () => {
    const bytes = [...mousePacket(-20, 9, 0), ...mousePacket(3, 4, 0), ...mousePacket(5, 6, 0)];
    bytes.splice(0, 1); // the first packet's first byte is lost
    // 0xEC 0x09 0x08 looks like a packet and is taken for one; then 0x03 and 0x04 lack
    // bit 3, cannot start a packet, and are dropped; 0x08 0x05 0x06 is in step again.
    expect(feedAll(new MousePacketDecoder(), bytes)).toEqual([
      decodeMousePacket(0xec, 0x09, 0x08),
      { dx: 5, dy: -6, buttons: 0 },
    ]);
  });

  const seed = testSeed(0x3005e);
  it(`is back in step within a few packets after losing any byte (seed ${seed})`, () => {
    const rng = random(seed);
    for (let round = 0; round < 300; round++) {
      const sent = Array.from({ length: 40 }, () =>
        mousePacket(rng.int(31) - 15, rng.int(31) - 15, rng.int(8)),
      );
      const bytes = sent.flat();
      bytes.splice(rng.int(6), 1); // one of the first two packets loses a byte
      const received = feedAll(new MousePacketDecoder(), bytes);
      // Once in step it stays in step: what arrives last is exactly what was sent last.
      const tail = sent.slice(-20).map((p) => decodeMousePacket(...p));
      expect(received.slice(-20), `seed ${seed}, round ${round}`).toEqual(tail);
    }
  });
});

describe('PS/2 mouse driver on the emulated 8042', () => {
  it('enables the auxiliary device, data reporting and IRQ 12', () => {
    const m = driverMachine();
    new Ps2Mouse(m.cpu).init();
    expect(m.ps2.mouse.reporting).toBe(true);
    expect(m.ps2.config & 0x02).toBe(0x02); // mouse interrupt on
    expect(m.ps2.config & 0x20).toBe(0); // mouse clock on
    expect(m.ps2.config & 0x10).toBe(0); // keyboard port back on
    expect(m.cpu.inb(0x64) & 0x01).toBe(0); // no answers left over
  });

  it('delivers host mouse movement as packets, one byte per interrupt', () => {
    const m = driverMachine();
    const mouse = new Ps2Mouse(m.cpu);
    mouse.init();
    m.ps2.mouseEvent(10, -5, MOUSE_BUTTON_LEFT);
    m.ps2.mouseEvent(300, 0, 0); // more than one packet can carry: split by the mouse
    expect(drain(mouse)).toEqual([
      { dx: 10, dy: -5, buttons: MOUSE_BUTTON_LEFT },
      { dx: 255, dy: -0, buttons: 0 },
      { dx: 45, dy: -0, buttons: 0 },
    ]);
    expect(m.irqEdges.mouse).toBe(9);
  });

  it('holds the keyboard off during setup: a key pressed meanwhile waits for its driver', () => {
    const m = driverMachine();
    const cpu = Object.create(m.cpu) as typeof m.cpu;
    cpu.outb = (port, value) => {
      if (port === 0x64 && value === 0xd4) m.ps2.keyEvent('KeyA', true); // pressed mid-setup
      m.cpu.outb(port, value);
    };
    new Ps2Mouse(cpu).init();
    expect(m.cpu.inb(0x64) & 0x21).toBe(0x01); // full, from the keyboard
    expect(m.cpu.inb(0x60)).toBe(0x1e); // KeyA's make code, not taken for the mouse's answer
  });

  it('reports a controller without a mouse clearly', () => {
    const m = driverMachine();
    m.ps2.mouse.write = () => void m.ps2.mouse.output.push(0xfe); // RESEND: the command failed
    expect(() => new Ps2Mouse(m.cpu).init()).toThrow(Ps2MouseError);
    expect(() => new Ps2Mouse(m.cpu).init()).toThrow(/answered 0xfe to command 0xf6/);
  });
});
