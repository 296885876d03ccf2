import { launchChromium, terminalText } from './test/browser/book';
import { serveStatic } from './test/browser/static-server';
const server = await serveStatic(process.env.DIST ?? 'dist', '/');
const browser = await launchChromium();
const page = await browser.newPage();
await browser.startTracing(page, { categories: ['disabled-by-default-v8.cpu_profiler', 'v8', 'devtools.timeline', '__metadata'] });
const t0 = Date.now();
await page.goto(`${server.url}/boot/`);
await page.waitForFunction(() => /\$ /.test(document.querySelector('cotton-machine')?.textContent ?? ''), undefined, { timeout: 30000 }).catch(() => {});
console.log('prompt after', Date.now() - t0);
await page.waitForTimeout(500);
const buf = await browser.stopTracing();
const trace = JSON.parse(buf.toString());
const events = trace.traceEvents ?? trace;
const threadNames = new Map<string, string>();
for (const e of events) if (e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
// Profile chunks grouped by profile id
const profiles = new Map<string, { thread: string; nodes: Map<number, any>; samples: number[]; deltas: number[] }>();
for (const e of events) {
  if (e.name === 'Profile') profiles.set(`${e.pid}:${e.id}`, { thread: `${e.pid}:${e.tid}`, nodes: new Map(), samples: [], deltas: [] });
  if (e.name === 'ProfileChunk') {
    const p = profiles.get(`${e.pid}:${e.id}`); if (!p) continue;
    const cp = e.args.data.cpuProfile ?? {};
    for (const n of cp.nodes ?? []) p.nodes.set(n.id, n);
    p.samples.push(...(cp.samples ?? []));
    p.deltas.push(...(e.args.data.timeDeltas ?? []));
  }
}
for (const [id, p] of profiles) {
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = p.nodes.get(p.samples[i]!); const dt = (p.deltas[i + 1] ?? 0) / 1000;
    if (!n) continue;
    const cf = n.callFrame; const key = `${cf.functionName || '(anon)'} ${String(cf.url).split('/').pop()}:${cf.lineNumber}:${cf.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + dt); total += dt;
  }
  console.log(`== ${threadNames.get(p.thread)} ${id} total ${total.toFixed(0)} ms, ${p.samples.length} samples`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 25))) console.log(`${v.toFixed(1).padStart(8)} ${k}`);
}
await browser.close(); await server.close();
