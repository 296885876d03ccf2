import { launchChromium } from './test/browser/book';
const code = `
function isAllZero(bytes) {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}
function run() {
  const img = new Uint8Array(32 << 20); img[5] = 1; img[20<<20] = 3;
  const out = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now(); let n = 0;
    for (let i = 0; i < 512; i++) if (!isAllZero(img.subarray(i * 65536, (i + 1) * 65536))) n++;
    out.push((performance.now() - t).toFixed(1));
  }
  return out.join(' ');
}
`;
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto('about:blank');
console.log('page', await page.evaluate('(() => {' + code + '; return run(); })()'));
console.log('worker', await page.evaluate(async (code) => {
  const w = new Worker(URL.createObjectURL(new Blob([code + '; postMessage(run())'], { type: 'text/javascript' })));
  return await new Promise((r) => (w.onmessage = (e) => r(e.data)));
}, code));
console.log('module worker', await page.evaluate(async (code) => {
  const w = new Worker(URL.createObjectURL(new Blob([code + '; postMessage(run())'], { type: 'text/javascript' })), { type: 'module' });
  return await new Promise((r) => (w.onmessage = (e) => r(e.data)));
}, code));
const f = new Function(code + '; return run()');
console.log('node', f());
await browser.close();
