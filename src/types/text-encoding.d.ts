/**
 * TextEncoder and TextDecoder, for code that runs on every platform (the
 * kernel, the emulator, NEX, machine hosting). Browsers, workers and Node all
 * have them; the folders compiled with `lib: ES2022` alone (no DOM, no Node
 * types) see only this much of them, so they cannot reach for anything else.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
