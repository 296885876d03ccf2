/**
 * A 93C46 serial EEPROM (1 Kbit as 64 × 16-bit words), the chip beside an
 * RTL8139 that holds its MAC address and PCI IDs, read by bit-banging its
 * Microwire interface (93C46 datasheet, "READ" instruction): with chip
 * select high, each rising edge of the clock shifts in one bit of DI: a start
 * bit 1, the opcode 10 (READ) and a 6-bit address; DO then gives a dummy 0,
 * and the next 16 rising edges shift out the word, most significant bit
 * first. Dropping chip select ends the instruction. The other instructions
 * (write, erase, enable) are accepted and ignored: this EEPROM is read-only.
 */
import type { DeviceState } from './device-state';

const OPCODE_READ = 0b10;
const COMMAND_BITS = 8; // 2 opcode bits and 6 address bits after the start bit
const WORD_BITS = 16;

export class Eeprom93c46 {
  /** DO, the data output pin. */
  dataOut = 1;
  private state: 'idle' | 'command' | 'reading' = 'idle';
  private bits = 0;
  private count = 0;
  private shiftRegister = 0;
  private clock = false;

  constructor(readonly words: Uint16Array) {}

  saveState(): DeviceState {
    const { dataOut, state, bits, count, shiftRegister, clock } = this;
    return { dataOut, state, bits, count, shiftRegister, clock };
  }

  /** The pins as the host drives them: chip select, serial clock, data in. */
  drive(chipSelect: boolean, serialClock: boolean, dataIn: number): void {
    const risingEdge = serialClock && !this.clock;
    this.clock = serialClock;
    if (!chipSelect) {
      this.state = 'idle';
      this.dataOut = 1;
      return;
    }
    if (risingEdge) this.shift(dataIn & 1);
  }

  private shift(bit: number): void {
    if (this.state === 'idle') {
      if (bit) {
        this.state = 'command';
        this.bits = 0;
        this.count = 0;
      }
    } else if (this.state === 'command') {
      this.bits = (this.bits << 1) | bit;
      if (++this.count === COMMAND_BITS) this.decode();
    } else {
      this.dataOut = (this.shiftRegister >> (WORD_BITS - 1)) & 1;
      this.shiftRegister = (this.shiftRegister << 1) & 0xffff;
      if (++this.count === WORD_BITS) this.state = 'idle';
    }
  }

  private decode(): void {
    if (this.bits >> 6 !== OPCODE_READ) {
      this.state = 'idle';
      return;
    }
    this.shiftRegister = this.words[this.bits & 0x3f]!;
    this.count = 0;
    this.dataOut = 0; // the dummy bit before the data
    this.state = 'reading';
  }
}
