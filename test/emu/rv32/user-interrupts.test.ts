/**
 * enterUser and interrupts (machine-interface.ts): user code takes a device
 * interrupt at the first instruction boundary at or after the event's virtual
 * time, through the IDT gate, and returns { kind: 'interrupt' } with pc at the
 * next instruction; 10 ns of virtual time per retired instruction.
 */
import { describe, expect, it } from 'vitest';
import { asm } from './assembler';
import { CODE, context, ENGINES, loadCode, userMachine } from './user-machine';

describe.each(ENGINES)('interrupts in user mode on the %s', (engine) => {
  function machineWithTimerAt(ns: number) {
    const machine = userMachine(engine);
    const { pic, clock, cpu } = machine;
    [0x11, 0x20, 0x04, 0x01].forEach((v, i) => pic.out8(i === 0 ? 0x20 : 0x21, v));
    pic.out8(0x21, 0xfe);
    const taken: { vector: number; now: number; interruptsEnabled: boolean }[] = [];
    cpu.setInterruptGate(0x20, (frame) => {
      taken.push({
        vector: frame.vector,
        now: clock.now,
        interruptsEnabled: cpu.interruptsEnabled(),
      });
      pic.out8(0x20, 0x20);
    });
    clock.schedule(ns, () => pic.pulseIrq(0));
    // An endless counting loop: a0 += 1.
    loadCode(machine, [asm.addi(10, 10, 1), asm.jal(0, -4)]);
    return { machine, taken };
  }

  it('stops at the first boundary at or after the event, after delivering it through the gate', () => {
    const { machine, taken } = machineWithTimerAt(1005);
    const ctx = context();
    const trap = machine.cpu.enterUser(ctx);
    expect(trap).toEqual({ kind: 'interrupt', vector: 0x20 });
    // 1005 ns → 101 instructions (1010 ns): 51 ADDIs and 50 JALs, so pc is at the JAL.
    expect(machine.cpu.user.retired).toBe(101);
    expect(machine.clock.now).toBe(1010);
    expect(ctx.regs[10]).toBe(51);
    expect(ctx.pc).toBe(CODE + 4);
    expect(taken).toEqual([{ vector: 0x20, now: 1010, interruptsEnabled: false }]);
    expect(machine.cpu.interruptsEnabled()).toBe(false); // the kernel's IF is its own
  });

  it('an interrupt already pending on entry is taken before any instruction runs', () => {
    const { machine } = machineWithTimerAt(0);
    machine.clock.fireDue();
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'interrupt', vector: 0x20 });
    expect(machine.cpu.user.retired).toBe(0);
    expect(ctx.pc).toBe(CODE);
  });

  it('a masked IRQ does not stop user code', () => {
    const { machine } = machineWithTimerAt(500);
    machine.pic.out8(0x21, 0xff);
    loadCode(machine, [
      asm.addi(10, 10, 1),
      asm.addi(11, 11, 1),
      ...asm.li(12, 200),
      asm.bne(11, 12, -16),
      asm.ecall(),
    ]);
    const ctx = context();
    expect(machine.cpu.enterUser(ctx)).toEqual({ kind: 'ecall' });
    expect(ctx.regs[10]).toBe(200);
  });
});
