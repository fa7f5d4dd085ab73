/**
 * The chaos run's figures, computed from the trials' outcomes (pure, so the arithmetic is unit-tested), printed
 * as JSON lines like the benches, then as a table.
 */
export interface TrialOutcome {
  seed: number;
  /** Names of the faults that fired (a fault whose milestone the workload never reached is not counted). */
  faultsFired: string[];
  faultsUnreached: string[];
  /** Per kill: the activities the durable store held as scheduled with no completion right after the SIGKILL. */
  killsInFlight: string[][];
  lostEvents: string[];
  duplicateEffects: string[];
  divergedPersons: string[];
  /** Lost events, diverged persons and Failed runs with no visible record of their reason (visibility.ts). */
  invisibleFailures: string[];
  /** Effective directory changes without their audit row, and rows claiming a change twice (audit-trail.ts). */
  auditMismatches: string[];
  /** The host died on its own (not a SIGKILL of the plan): each with its last stderr lines. */
  hostCrashes: string[];
  /** Restart to quiet, per kill, ms. */
  recoveryMs: number[];
}

export interface Figure {
  metric: string;
  value: number;
  unit: string;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function chaosFigures(trials: readonly TrialOutcome[]): Figure[] {
  const sum = (f: (t: TrialOutcome) => number) => trials.reduce((n, t) => n + f(t), 0);
  return [
    { metric: 'trials', value: trials.length, unit: 'trials' },
    { metric: 'faults_injected', value: sum((t) => t.faultsFired.length), unit: 'faults' },
    { metric: 'faults_unreached', value: sum((t) => t.faultsUnreached.length), unit: 'faults' },
    { metric: 'kills', value: sum((t) => t.killsInFlight.length), unit: 'kills' },
    {
      metric: 'kills_mid_activity',
      value: sum((t) => t.killsInFlight.filter((a) => a.length > 0).length),
      unit: 'kills',
    },
    { metric: 'lost_events', value: sum((t) => t.lostEvents.length), unit: 'events' },
    { metric: 'duplicate_effects', value: sum((t) => t.duplicateEffects.length), unit: 'effects' },
    { metric: 'diverged_persons', value: sum((t) => t.divergedPersons.length), unit: 'persons' },
    { metric: 'invisible_failures', value: sum((t) => t.invisibleFailures.length), unit: 'failures' },
    { metric: 'audit_mismatches', value: sum((t) => t.auditMismatches.length), unit: 'rows' },
    { metric: 'host_crashes', value: sum((t) => t.hostCrashes.length), unit: 'crashes' },
    {
      metric: 'recovery_p95_ms',
      value: percentile(
        trials.flatMap((t) => t.recoveryMs),
        95,
      ),
      unit: 'ms',
    },
  ];
}

/** The failures, each named with the seed that replays its trial. */
export function failures(trials: readonly TrialOutcome[]): string[] {
  return trials.flatMap((t) =>
    [
      ...t.lostEvents.map((e) => `lost: ${e}`),
      ...t.duplicateEffects.map((e) => `duplicate: ${e}`),
      ...t.divergedPersons.map((e) => `diverged: ${e}`),
      ...t.invisibleFailures.map((e) => `invisible: ${e}`),
      ...t.auditMismatches.map((e) => `audit: ${e}`),
      ...t.hostCrashes.map((e) => `crash: ${e}`),
    ].map((line) => `seed ${t.seed}: ${line}`),
  );
}

export function formatFigures(figures: readonly Figure[], title: string): string[] {
  return [
    ...figures.map((f) => JSON.stringify({ bench: 'chaos', ...f })),
    '',
    title,
    ...figures.map((f) => `${f.metric.padEnd(24)} ${String(f.value).padStart(8)} ${f.unit}`),
  ];
}
