import { wholeImageCommit } from './src/runtime/worker/disk-store';
import { freshBookDisk } from './src/runtime/node/node-host';
const d: any = freshBookDisk();
const bytes: Uint8Array = d.disk?.bytes ?? d.disk;
console.log(bytes.length);
for (let i = 0; i < 3; i++) { const t = performance.now(); const c = wholeImageCommit(bytes, 65536, 'x'); console.log((performance.now() - t).toFixed(1), 'ms', c.put.size); }
