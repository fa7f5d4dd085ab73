// Bundles the ops console (console/, Preact + TSX) into dist/console: app.js, app.css and index.html.
// `npm run build` runs it after tsc; functions/console.ts serves the folder at /api/console.
// Usage: node scripts/build-console.mjs [--dev] (--dev: no minification, inline source map).
import { mkdirSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'console');
const out = path.join(root, 'dist', 'console');
const dev = process.argv.includes('--dev');

mkdirSync(out, { recursive: true });
const result = await esbuild.build({
  entryPoints: { app: path.join(source, 'src', 'main.tsx') },
  bundle: true,
  outdir: out,
  format: 'esm',
  platform: 'browser',
  // Evergreen browsers an admin's laptop runs; ES2022 keeps the bundle close to the source.
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  legalComments: 'none',
  tsconfig: path.join(source, 'tsconfig.json'),
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(path.join(source, 'app.css'), path.join(out, 'app.css'));

// index.html names each asset with a content hash (?v=), so a new build is never hidden by a cached copy.
const version = (file) =>
  createHash('sha256')
    .update(readFileSync(path.join(out, file)))
    .digest('hex')
    .slice(0, 12);
const html = readFileSync(path.join(source, 'index.html'), 'utf8')
  .replace('app.css', `app.css?v=${version('app.css')}`)
  .replace('app.js', `app.js?v=${version('app.js')}`);
writeFileSync(path.join(out, 'index.html'), html);

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`console: dist/console (app.js ${(bytes / 1024).toFixed(0)} KiB)`);
