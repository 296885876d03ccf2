import { launchChromium } from './test/browser/book';
const code = `
function readPass(a) { const w = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2); let s = 0; for (let i = 0; i < w.length; i += 1024) s += w[i]; return s; }
function writePass(a) { const w = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2); for (let i = 0; i < w.length; i += 1024) w[i] = 1; }
function time(label, make, pass) { const t0 = performance.now(); const a = make(); const t1 = performance.now(); pass(a); const t2 = performance.now(); return label + ' alloc ' + (t1 - t0).toFixed(1) + ' touch ' + (t2 - t1).toFixed(1); }
function run() {
  const MB = 1 << 20; const out = [];
  for (let k = 0; k < 2; k++) {
    out.push(time('u8 read', () => new Uint8Array(32 * MB), readPass));
    out.push(time('u8 write', () => new Uint8Array(32 * MB), writePass));
    out.push(time('wasm read', () => new Uint8Array(new WebAssembly.Memory({ initial: 512 }).buffer), readPass));
    out.push(time('wasm write', () => new Uint8Array(new WebAssembly.Memory({ initial: 512 }).buffer), writePass));
    out.push(time('u8 128 write', () => new Uint8Array(128 * MB), writePass));
  }
  return out.join('\\n');
}
`;
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto('about:blank');
console.log('--- worker\n' + await page.evaluate(async (code) => {
  const w = new Worker(URL.createObjectURL(new Blob([code + '; postMessage(run())'], { type: 'text/javascript' })));
  return await new Promise((r) => (w.onmessage = (e) => r(e.data)));
}, code));
console.log('--- node\n' + new Function(code + '; return run()')());
await browser.close();
