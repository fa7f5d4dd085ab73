#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- NAME [args...]` → node bench/NAME.mjs [args...] (after the build).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { HOST_HEAP } from './lib/host-heap.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.replace(/\.mjs$/, ''));
if (!name || !existsSync(path.join(here, `${name}.mjs`))) {
  console.error(`usage: npm run bench -- NAME [args]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
// The host runs in the bench's process, with the V8 heap budget `npm start` gives it (package.json): without one V8
// grows the heap to several times what is live (peak RSS 596 MB at 10,000 joiners, 347 MB with it, same speed).
const result = spawnSync(process.execPath, ['--expose-gc', HOST_HEAP, path.join(here, `${name}.mjs`), ...args], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
