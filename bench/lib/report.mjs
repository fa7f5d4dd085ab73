// Shared bench reporting: one JSON line per figure, then a readable table comparing each figure with
// its baseline measured in the same run. Every bench starts with the machine it ran on (cores, load), because
// figures from a loaded 2-core machine and an idle 8-core one are not comparable.
import { availableParallelism, loadavg } from 'node:os';

/** Load average when the bench started (this module is imported first thing). */
const loadAtStart = loadavg()[0];

/**
 * @typedef {{
 *   bench: string, metric: string, value: number, unit: string,
 *   baseline?: { metric: string, value: number }
 * }} Figure
 */

export class BenchReport {
  /** @param {string} bench */
  constructor(bench) {
    this.bench = bench;
    /** @type {Figure[]} */
    this.figures = [];
    this.add('machine_cores', availableParallelism(), 'cores');
    this.add('machine_load_1m_at_start', loadAtStart, 'runnable');
  }

  /** Records a figure and prints its JSON line at once. */
  add(metric, value, unit, baseline) {
    const figure = { bench: this.bench, metric, value: round(value), unit };
    console.log(JSON.stringify(figure));
    this.figures.push({ ...figure, baseline });
    return figure;
  }

  /** Prints the readable table: metric, value, unit, baseline and ratio where one was measured. */
  print() {
    this.add('machine_load_1m_at_end', loadavg()[0], 'runnable');
    const rows = this.figures.map((f) => [
      f.metric,
      String(f.value),
      f.unit,
      f.baseline ? `${f.baseline.metric} = ${round(f.baseline.value)}` : '',
      f.baseline && f.baseline.value !== 0 ? `${round(f.value / f.baseline.value)}x` : '',
    ]);
    const header = ['metric', 'value', 'unit', 'baseline (same run)', 'ratio'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(`\n${this.bench}`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
  }
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}

/** Percentile of a numeric array (nearest rank). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Samples process RSS every 50 ms; returns a stop() that yields the peak in MB. */
export function trackPeakRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    return peak / 1024 / 1024;
  };
}
