import { describe, expect, it } from 'vitest';
import { chaosFigures, failures, formatFigures, percentile, type TrialOutcome } from '../../local/chaos/figures';

const trial = (over: Partial<TrialOutcome>): TrialOutcome => ({
  seed: 1,
  faultsFired: [],
  faultsUnreached: [],
  killsInFlight: [],
  lostEvents: [],
  duplicateEffects: [],
  divergedPersons: [],
  invisibleFailures: [],
  auditMismatches: [],
  hostCrashes: [],
  recoveryMs: [],
  ...over,
});

describe('chaos figures', () => {
  it('p95 is the nearest-rank value', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([5], 95)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 20 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(19);
    expect(percentile([300, 100, 200], 50)).toBe(200);
  });

  it('sums the trials: a kill is mid-activity when the store held an activity with no completion', () => {
    const figures = chaosFigures([
      trial({
        faultsFired: ['kill-graph-batch', 'graph-outage-503'],
        faultsUnreached: ['kill-between'],
        killsInFlight: [['updateAccount', 'applyAccess']],
        recoveryMs: [1000, 3000],
      }),
      trial({ seed: 2, faultsFired: ['kill-between'], killsInFlight: [[]], recoveryMs: [2000] }),
    ]);
    expect(Object.fromEntries(figures.map((f) => [f.metric, f.value]))).toEqual({
      trials: 2,
      faults_injected: 3,
      faults_unreached: 1,
      kills: 2,
      kills_mid_activity: 1,
      lost_events: 0,
      duplicate_effects: 0,
      diverged_persons: 0,
      invisible_failures: 0,
      audit_mismatches: 0,
      host_crashes: 0,
      recovery_p95_ms: 3000,
    });
  });

  it('names the seed of each failure, and prints JSON lines then a table', () => {
    const outcomes = [
      trial({
        seed: 9,
        lostEvents: ['K0P1: K0P1-t not handled'],
        divergedPersons: ['K0P2: enabled true ≠ false'],
        invisibleFailures: ['diverged K0P2: enabled true ≠ false (no dead letter, failed run, ...)'],
        auditMismatches: ['K0P3: disable without its audit row: 1 change(s), 0 row(s)'],
        hostCrashes: ['host exited on its own (1): SqliteError: database is locked'],
      }),
    ];
    expect(failures(outcomes)).toEqual([
      'seed 9: lost: K0P1: K0P1-t not handled',
      'seed 9: diverged: K0P2: enabled true ≠ false',
      'seed 9: invisible: diverged K0P2: enabled true ≠ false (no dead letter, failed run, ...)',
      'seed 9: audit: K0P3: disable without its audit row: 1 change(s), 0 row(s)',
      'seed 9: crash: host exited on its own (1): SqliteError: database is locked',
    ]);
    const figures = chaosFigures(outcomes);
    const lines = formatFigures(figures, 'chaos');
    expect(JSON.parse(lines[0]!)).toEqual({ bench: 'chaos', metric: 'trials', value: 1, unit: 'trials' });
    expect(lines).toContain('lost_events                     1 events');
    expect(lines).toContain('diverged_persons                1 persons');
    expect(lines).toContain('invisible_failures              1 failures');
    expect(lines).toContain('audit_mismatches                1 rows');
  });
});
