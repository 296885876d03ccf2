import { describe, expect, it } from 'vitest';
import { Uart16550 } from '../../src/emu/uart16550';

const COM1 = 0x3f8;

function setup() {
  const sent: number[] = [];
  const irq = { high: false };
  const uart = new Uart16550(
    COM1,
    (high) => (irq.high = high),
    (byte) => sent.push(byte),
  );
  return { uart, sent, irq };
}

/** The initialisation sequence from a typical PC serial driver: 115200 8N1, FIFO, OUT2, RX interrupt. */
function init(uart: Uart16550): void {
  uart.out8(COM1 + 1, 0x00);
  uart.out8(COM1 + 3, 0x80);
  uart.out8(COM1 + 0, 0x01);
  uart.out8(COM1 + 1, 0x00);
  uart.out8(COM1 + 3, 0x03);
  uart.out8(COM1 + 2, 0xc7);
  uart.out8(COM1 + 4, 0x0b);
  uart.out8(COM1 + 1, 0x01);
}

describe('16550A UART', () => {
  it('programs the baud rate through the divisor latch', () => {
    const { uart } = setup();
    init(uart);
    expect(uart.baud).toBe(115200);
    expect(uart.in8(COM1 + 3)).toBe(0x03);
  });

  it('transmits written bytes and always reports the transmitter empty', () => {
    const { uart, sent } = setup();
    init(uart);
    for (const byte of [0x68, 0x69]) {
      expect(uart.in8(COM1 + 5) & 0x20).toBe(0x20);
      uart.out8(COM1, byte);
    }
    expect(sent).toEqual([0x68, 0x69]);
  });

  it('raises IRQ4 while received data is available, and lowers it when drained', () => {
    const { uart, irq } = setup();
    init(uart);
    uart.receive([0x61, 0x62]);
    expect(irq.high).toBe(true);
    expect(uart.in8(COM1 + 2) & 0x0f).toBe(0x04);
    expect(uart.in8(COM1 + 5) & 1).toBe(1);
    expect([uart.in8(COM1), uart.in8(COM1)]).toEqual([0x61, 0x62]);
    expect(uart.in8(COM1 + 5) & 1).toBe(0);
    expect(irq.high).toBe(false);
    expect(uart.in8(COM1 + 2) & 0x01).toBe(1);
  });

  it('keeps the interrupt off the bus without OUT2', () => {
    const { uart, irq } = setup();
    init(uart);
    uart.out8(COM1 + 4, 0x03);
    uart.receive([1]);
    expect(irq.high).toBe(false);
  });

  it('holds typed bytes beyond the 16-byte FIFO until there is room', () => {
    const { uart } = setup();
    init(uart);
    const text = Array.from({ length: 40 }, (_, i) => i);
    uart.receive(text);
    const read: number[] = [];
    while (uart.in8(COM1 + 5) & 1) read.push(uart.in8(COM1));
    expect(read).toEqual(text);
  });

  it('loops transmitted bytes back in loopback mode (the driver self-test)', () => {
    const { uart, sent } = setup();
    init(uart);
    uart.out8(COM1 + 4, 0x1e);
    uart.out8(COM1, 0xae);
    expect(uart.in8(COM1)).toBe(0xae);
    expect(sent).toEqual([]);
  });

  it('raises the THR-empty interrupt when enabled, acknowledged by reading IIR', () => {
    const { uart, irq } = setup();
    init(uart);
    uart.out8(COM1 + 1, 0x02);
    expect(irq.high).toBe(true);
    expect(uart.in8(COM1 + 2) & 0x0f).toBe(0x02);
    expect(irq.high).toBe(false);
  });
});
