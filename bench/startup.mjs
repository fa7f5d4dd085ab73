// npm run bench -- startup: host start → first 200 from /api/health for our app (median of 5), compared
// with a bare Node http server answering the same JSON (the floor any host pays for starting Node).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchReport } from './lib/report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);

async function timeToFirst200(args, port) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: 'ignore',
    env: {
      ...process.env,
      ENTRA_JML_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'jml-bench-')),
      HR_EVENTS_QUEUE: 'hr-events',
      ENTRA_JML_LOG_LEVEL: 'error',
    },
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {}
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare =
  "require('http').createServer((q,s)=>{s.setHeader('content-type','application/json');" +
  `s.end(JSON.stringify({name:'entra-jml',version:'0',status:'ok'}))}).listen(${7311})`;
const host = [],
  baseline = [];
for (let i = 0; i < runs; i++) {
  baseline.push(await timeToFirst200(['-e', bare], 7311));
  host.push(await timeToFirst200(['dist/local/host/cli.js', 'start', '--port', '7312'], 7312));
}
const report = new BenchReport('startup');
const b = median(baseline);
report.add('startup_ms', median(host), 'ms', { metric: 'baseline_startup_ms', value: b });
report.add('baseline_startup_ms', b, 'ms');
report.print();
