import { launchChromium } from './test/browser/book';
import { transpileKernel } from './src/runtime/host/kernel-loader';
import { repoKernelSources } from './src/runtime/node/node-host';
const modules = transpileKernel(repoKernelSources());
function run(modules: Record<string, string>): string {
  const enc = new TextEncoder(); const out: string[] = [];
  for (let k = 0; k < 3; k++) {
    let t = performance.now(); let n = 0;
    for (const [f, js] of Object.entries(modules)) n += enc.encode(`//# ${f}\n${js}\n`).length;
    const a = performance.now() - t;
    t = performance.now();
    let total = 0; for (const [f, js] of Object.entries(modules)) total += (f.length + js.length + 6) * 3;
    const img = new Uint8Array(total); let off = 0;
    for (const [f, js] of Object.entries(modules)) off += enc.encodeInto(`//# ${f}\n${js}\n`, img.subarray(off)).written;
    const b = performance.now() - t;
    out.push(`encode ${a.toFixed(1)} into ${b.toFixed(1)} (${n}/${off})`);
  }
  return out.join(' | ');
}
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto('about:blank');
for (let i = 0; i < 3; i++) {
  const r = await page.evaluate(async ({ src, mods }) => {
    const w = new Worker(URL.createObjectURL(new Blob([`const run = ${src}; onmessage = (e) => postMessage(run(e.data));`], { type: 'text/javascript' })));
    w.postMessage(mods);
    return await new Promise((r) => (w.onmessage = (e) => r(e.data)));
  }, { src: run.toString(), mods: modules });
  console.log('worker', r);
}
console.log('node', run(modules));
await browser.close();
