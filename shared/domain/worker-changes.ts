import type { WorkerRecord } from './hr-event';

/** The top-level worker fields whose values differ between two records (a mover's "what changed"). */
export function changedWorkerFields(before: WorkerRecord, after: WorkerRecord): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof WorkerRecord>;
  return [...keys].filter((key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)).sort();
}
