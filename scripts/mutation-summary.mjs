#!/usr/bin/env node
/**
 * Merges StrykerJS json reports into one mutation score over the scope of stryker.config.json (issue 15).
 *
 *   node scripts/mutation-summary.mjs [--markdown] [report.json | folder ...]
 *
 * --markdown prints the same table as Markdown (what docs/mutation-scores.md holds).
 * With no argument it reads reports/mutation/files/*.json (one report per file run, see docs/mutation-testing.md)
 * and reports/mutation/mutation.json. When two reports hold the same source file, the newer report wins. Score, as
 * Stryker computes it: (killed + timeout) / (killed + timeout + survived + no coverage); compile and runtime errors
 * and ignored mutants do not count. Scope files that no report holds are listed as not measured, so a partial
 * figure says it is partial. Exit code 0; this prints, it does not judge.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const DEFAULT_SOURCES = ['reports/mutation/files', 'reports/mutation/mutation.json'];

/** @param {string} source @returns {string[]} */
function reportFiles(source) {
  const full = path.resolve(root, source);
  if (!existsSync(full)) return [];
  if (statSync(full).isDirectory())
    return readdirSync(full)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(full, f));
  return [full];
}

/** @param {string} file */
function normalise(file) {
  return path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
}

/** Every file the mutate globs of stryker.config.json name: "dir/**\/*.ts" patterns and plain paths. */
function scopeFiles() {
  const configPath = path.join(root, 'stryker.config.json');
  if (!existsSync(configPath)) return [];
  /** @type {string[]} */
  const patterns = JSON.parse(readFileSync(configPath, 'utf8')).mutate ?? [];
  const files = new Set();
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const star = pattern.indexOf('*');
    if (star === -1) {
      if (existsSync(path.join(root, pattern))) files.add(pattern);
      continue;
    }
    const base = pattern.slice(0, star).replace(/\/$/, '');
    const ext = path.extname(pattern);
    const walk = (dir) => {
      for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(rel);
        else if (rel.endsWith(ext)) files.add(rel);
      }
    };
    if (existsSync(path.join(root, base))) walk(base);
  }
  return [...files].sort();
}

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const named = args.filter((a) => a !== '--markdown');
const sources = named.length ? named : DEFAULT_SOURCES;
const reports = sources
  .flatMap(reportFiles)
  .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
  .sort((a, b) => a.mtime - b.mtime);

/** @type {Map<string, { counts: Record<string, number>, report: string }>} */
const perFile = new Map();
for (const { file } of reports) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const [source, result] of Object.entries(report.files ?? {})) {
    /** @type {Record<string, number>} */
    const counts = {};
    for (const mutant of result.mutants ?? []) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
    perFile.set(normalise(source), { counts, report: path.relative(root, file) });
  }
}

const detected = (c) => (c.Killed ?? 0) + (c.Timeout ?? 0);
const valid = (c) => detected(c) + (c.Survived ?? 0) + (c.NoCoverage ?? 0);
const pct = (num, den) => (den ? ((100 * num) / den).toFixed(2) : 'n/a');

const rows = [...perFile.entries()].sort(([a], [b]) => a.localeCompare(b));
const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, errors: 0 };
const table = rows.map(([file, { counts }]) => {
  const errors = (counts.CompileError ?? 0) + (counts.RuntimeError ?? 0);
  for (const key of ['Killed', 'Timeout', 'Survived', 'NoCoverage']) total[key] += counts[key] ?? 0;
  total.errors += errors;
  return {
    file,
    score: pct(detected(counts), valid(counts)),
    cells: [counts.Killed ?? 0, counts.Timeout ?? 0, counts.Survived ?? 0, counts.NoCoverage ?? 0, errors],
  };
});
const missing = scopeFiles().filter((f) => !perFile.has(f));
const overall =
  `${pct(detected(total), valid(total))} % over ${rows.length} file(s): ` +
  `${detected(total)} detected of ${valid(total)} valid mutants ` +
  `(killed ${total.Killed}, timeout ${total.Timeout}, survived ${total.Survived}, no coverage ${total.NoCoverage})`;

if (markdown) {
  console.log('| file | score % | killed | timeout | survived | no coverage | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { file, score, cells } of table) console.log(`| \`${file}\` | ${score} | ${cells.join(' | ')} |`);
  // Two lines (one paragraph) and a list, so that no line of the Markdown goes over 120 characters.
  const [score, counts] = overall.split(': ');
  console.log(`\n**Overall: ${score}**:\n${counts}.`);
  if (missing.length)
    console.log(`\nNot measured (${missing.length} scope file(s)):\n\n${missing.map((f) => `- \`${f}\``).join('\n')}`);
} else {
  const width = Math.max(20, ...rows.map(([f]) => f.length));
  console.log(`${'file'.padEnd(width)}  score %  killed timeout survived nocov  errors`);
  const widths = [6, 7, 8, 5, 7];
  for (const { file, score, cells } of table)
    console.log(
      `${file.padEnd(width)}  ${score.padStart(7)}  ` +
        cells.map((cell, i) => String(cell).padStart(widths[i] ?? 0)).join(' '),
    );
  console.log(`\noverall ${overall}`);
  if (missing.length) console.log(`not measured (${missing.length} scope file(s)): ${missing.join(', ')}`);
}
