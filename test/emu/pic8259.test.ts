import { describe, expect, it } from 'vitest';
import { Pic8259Pair } from '../../src/emu/pic8259';

/** The remap sequence every PC kernel performs (ICW1..ICW4), then the masks. */
function remap(pic: Pic8259Pair, masterMask = 0, slaveMask = 0): void {
  pic.out8(0x20, 0x11);
  pic.out8(0xa0, 0x11);
  pic.out8(0x21, 0x20);
  pic.out8(0xa1, 0x28);
  pic.out8(0x21, 0x04);
  pic.out8(0xa1, 0x02);
  pic.out8(0x21, 0x01);
  pic.out8(0xa1, 0x01);
  pic.out8(0x21, masterMask);
  pic.out8(0xa1, slaveMask);
}

describe('8259A PIC pair', () => {
  it('masks everything until initialised, then delivers at the remapped vector', () => {
    const pic = new Pic8259Pair();
    pic.pulseIrq(0);
    expect(pic.hasInterrupt()).toBe(false);
    remap(pic);
    pic.pulseIrq(0);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x20);
  });

  it('blocks lower and equal priorities until EOI, lets higher ones through', () => {
    const pic = new Pic8259Pair();
    remap(pic);
    pic.pulseIrq(4);
    expect(pic.acknowledge()).toBe(0x24);
    pic.pulseIrq(4);
    pic.pulseIrq(6);
    expect(pic.hasInterrupt()).toBe(false);
    pic.pulseIrq(1);
    expect(pic.acknowledge()).toBe(0x21);
    pic.out8(0x20, 0x20); // EOI for IRQ1
    pic.out8(0x20, 0x20); // EOI for IRQ4
    expect(pic.acknowledge()).toBe(0x24);
  });

  it('honours the interrupt mask (OCW1) and keeps the request latched', () => {
    const pic = new Pic8259Pair();
    remap(pic, 0xff);
    pic.pulseIrq(3);
    expect(pic.hasInterrupt()).toBe(false);
    expect(pic.in8(0x21)).toBe(0xff);
    pic.out8(0x21, 0xf7);
    expect(pic.acknowledge()).toBe(0x23);
  });

  it('cascades slave IRQs through IR2 and needs EOI on both chips', () => {
    const pic = new Pic8259Pair();
    remap(pic);
    pic.pulseIrq(12);
    expect(pic.acknowledge()).toBe(0x2c);
    pic.pulseIrq(8);
    expect(pic.hasInterrupt()).toBe(false);
    pic.out8(0xa0, 0x20);
    expect(pic.hasInterrupt()).toBe(false); // master still has IR2 in service
    pic.out8(0x20, 0x20);
    expect(pic.acknowledge()).toBe(0x28);
  });

  it('latches on rising edges only: a level held high requests once', () => {
    const pic = new Pic8259Pair();
    remap(pic);
    pic.setIrq(4, true);
    expect(pic.acknowledge()).toBe(0x24);
    pic.out8(0x20, 0x20);
    pic.setIrq(4, true);
    expect(pic.hasInterrupt()).toBe(false);
    pic.setIrq(4, false);
    pic.setIrq(4, true);
    expect(pic.hasInterrupt()).toBe(true);
  });

  it('reads IRR or ISR as selected by OCW3, and supports specific EOI', () => {
    const pic = new Pic8259Pair();
    remap(pic, 0xff);
    pic.pulseIrq(5);
    pic.out8(0x20, 0x0a);
    expect(pic.in8(0x20)).toBe(0x20);
    pic.out8(0x21, 0x00);
    pic.acknowledge();
    pic.out8(0x20, 0x0b);
    expect(pic.in8(0x20)).toBe(0x20);
    pic.out8(0x20, 0x65); // specific EOI, IR5
    expect(pic.in8(0x20)).toBe(0);
  });
});
