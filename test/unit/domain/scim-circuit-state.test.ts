import { describe, expect, it } from 'vitest';
import {
  admit,
  Circuit,
  CircuitSettings,
  closedCircuit,
  report,
  type Circuit as CircuitState,
} from '../../../shared/domain/scim-circuit';

/**
 * The quarantine circuit's state in detail: the settings' defaults and bounds, the stored shape, the minute buckets,
 * the last errors, and which instants a probe is granted at (mutation testing, issue 15;
 * test/scim/fanout-circuit.test.ts covers the transitions).
 */
const settings = CircuitSettings.parse({ minCalls: 2, failureRate: 0.4, coolDownMs: 60_000, probeLeaseMs: 30_000 });
const T0 = Date.parse('2026-01-05T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const minute = 60_000;

function failed(circuit: CircuitState, at: number, extra: Partial<Parameters<typeof report>[2]> = {}) {
  return report(circuit, at, { ok: false, status: 503, detail: 'down', ...extra }, settings);
}

/** Quarantined at T0 by two failures: probe due at T0 + 1 minute. */
function quarantined(): CircuitState {
  const once = failed(closedCircuit(), T0).circuit;
  const twice = failed(once, T0);
  expect(twice.transition).toBe('quarantined');
  return twice.circuit;
}

describe('CircuitSettings', () => {
  it('defaults to a 10-minute window, 10 calls, 40 %, 1 minute doubling to 1 hour, a 2-minute probe lease', () => {
    expect(CircuitSettings.parse({})).toEqual({
      windowMs: 600_000,
      minCalls: 10,
      failureRate: 0.4,
      coolDownMs: 60_000,
      maxCoolDownMs: 3_600_000,
      probeLeaseMs: 120_000,
    });
  });

  it('takes a failure rate from 0 to 1', () => {
    const rate = (failureRate: number) => CircuitSettings.safeParse({ failureRate }).success;
    expect([rate(-0.1), rate(0), rate(0.5), rate(1), rate(1.1)]).toEqual([false, true, true, true, false]);
  });
});

describe('Circuit (the stored state)', () => {
  it('reads back what the circuit functions write, and refuses another state or a malformed bucket', () => {
    const state = quarantined();
    expect(Circuit.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(Circuit.parse(closedCircuit())).toEqual(closedCircuit());
    expect(Circuit.safeParse({ ...state, state: 'opened' }).success).toBe(false);
    for (const s of ['closed', 'open', 'half-open'])
      expect(Circuit.safeParse({ ...state, state: s }).success).toBe(true);
    expect(Circuit.safeParse({ ...state, buckets: [[T0, 1]] }).success).toBe(false);
    expect(Circuit.safeParse({ ...state, lastErrors: [{ at: iso(T0), status: 503 }] }).success).toBe(false);
    expect(Circuit.safeParse({ ...state, failedProbes: undefined }).success).toBe(false);
  });

  it('closed: no calls counted, no quarantine, no errors', () => {
    expect(closedCircuit()).toEqual({
      state: 'closed',
      buckets: [],
      openedAt: null,
      probeAt: null,
      probeUntil: null,
      failedProbes: 0,
      lastErrors: [],
    });
  });
});

describe('buckets and last errors', () => {
  it('counts calls per minute from the start of the minute, oldest bucket first, forgetting the window past', () => {
    let c = report(closedCircuit(), T0 + 30_000, { ok: true }, settings).circuit;
    c = report(c, T0 + 45_000, { ok: false }, settings).circuit;
    // A call answered late carries an earlier instant: its bucket still goes in order.
    c = report(c, T0 - 2 * minute + 5_000, { ok: true }, settings).circuit;
    expect(c.buckets).toEqual([
      [T0 - 2 * minute, 1, 0],
      [T0, 1, 1],
    ]);
    // Exactly one window after a bucket began, that bucket is out of the window.
    const later = report(c, T0 + 10 * minute, { ok: true }, settings).circuit;
    expect(later.buckets).toEqual([[T0 + 10 * minute, 1, 0]]);
    const justInside = report(c, T0 + 10 * minute - 1, { ok: true }, settings).circuit;
    expect(justInside.buckets).toEqual([
      [T0, 1, 1],
      [T0 + 9 * minute, 1, 0],
    ]);
  });

  it('keeps the last five errors, with status, detail and employee id (null or empty when unknown)', () => {
    let c = closedCircuit();
    for (let i = 0; i < 6; i++)
      c = report(
        c,
        T0 + i * minute * 20,
        { ok: false, status: 500 + i, detail: `e${i}`, employeeId: `E${i}` },
        settings,
      ).circuit;
    expect(c.lastErrors.map((e) => e.detail)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(c.lastErrors.at(-1)).toEqual({ at: iso(T0 + 100 * minute), status: 505, detail: 'e5', employeeId: 'E5' });
    const bare = report(closedCircuit(), T0, { ok: false }, settings).circuit;
    expect(bare.lastErrors).toEqual([{ at: iso(T0), status: null, detail: '', employeeId: null }]);
    expect(report(bare, T0, { ok: true }, settings).circuit.lastErrors).toEqual(bare.lastErrors);
  });
});

describe('probes', () => {
  it('an open circuit refuses calls until the probe time, then grants one probe with a lease', () => {
    const open = quarantined();
    expect(open).toMatchObject({ state: 'open', openedAt: iso(T0), probeAt: iso(T0 + minute), probeUntil: null });
    expect(admit(open, T0 + minute - 1, settings).admission).toEqual({ send: false, retryAt: iso(T0 + minute) });
    const granted = admit(open, T0 + minute, settings);
    expect(granted.admission).toEqual({ send: true, probe: true });
    expect(granted.circuit).toMatchObject({ state: 'half-open', probeUntil: iso(T0 + minute + 30_000) });
  });

  it('half-open: others wait for the lease; a lease that ran out grants a new probe', () => {
    const halfOpen = admit(quarantined(), T0 + minute, settings).circuit;
    expect(admit(halfOpen, T0 + minute + 29_999, settings).admission).toEqual({
      send: false,
      retryAt: iso(T0 + minute + 30_000),
    });
    const again = admit(halfOpen, T0 + minute + 30_000, settings);
    expect(again.admission).toEqual({ send: true, probe: true });
    expect(again.circuit.probeUntil).toBe(iso(T0 + minute + 60_000));
  });

  it('a failed probe keeps the quarantine start; a probe answer while open decides nothing', () => {
    const halfOpen = admit(quarantined(), T0 + minute, settings).circuit;
    const reopened = report(halfOpen, T0 + 2 * minute, { ok: false, probe: true }, settings);
    expect(reopened.transition).toBe('probe-failed');
    expect(reopened.circuit).toMatchObject({ state: 'open', openedAt: iso(T0), failedProbes: 1 });
    const late = report(reopened.circuit, T0 + 2 * minute, { ok: true, probe: true }, settings);
    expect(late.transition).toBeNull();
    expect(late.circuit.state).toBe('open');
  });
});
