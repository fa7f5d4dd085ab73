// CPU time a process (all its threads) or its main thread has used, from /proc (Linux). The same work takes a
// different wall time on a busy or a quiet machine; CPU per request, next to the health probe's in the same run,
// says what the accept path itself costs. Elsewhere (no /proc) the figures are left out, not guessed.
import { readFileSync } from 'node:fs';

const TICKS_PER_MS = 0.1; // USER_HZ is 100 on Linux: one clock tick is 10 ms.

function ticks(file) {
  try {
    // Fields after the command name "(...)": utime and stime are the 14th and 15th of the whole line.
    const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** Milliseconds of CPU so far: `{ total, main }` for process `pid` (all threads, and its main thread), or null. */
export function cpuMs(pid) {
  const total = ticks(`/proc/${pid}/stat`);
  const main = ticks(`/proc/${pid}/task/${pid}/stat`);
  if (total === null || main === null) return null;
  return { total: total / TICKS_PER_MS, main: main / TICKS_PER_MS };
}

/** CPU used between two readings, per operation: `{ total, main }` in ms, or null when either reading is missing. */
export function cpuMsPer(before, after, operations) {
  if (!before || !after || operations <= 0) return null;
  return { total: (after.total - before.total) / operations, main: (after.main - before.main) / operations };
}
