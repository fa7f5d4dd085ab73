import { describe, expect, it } from 'vitest';
import { describePlan, planFaults, type PlanOptions } from '../../local/chaos/fault-plan';
import { prng } from '../../local/chaos/prng';

const options: PlanOptions = {
  kills: 4,
  graphFaults: 3,
  sqliteLocks: 2,
  slowRenewals: 1,
  graphTimeouts: 2,
  diskFulls: 1,
  families: new Set(['kill', 'graph', 'sqlite', 'servicebus', 'timeout', 'disk']),
  events: 30,
};

describe('chaos fault plan (milestones drawn up front from the seed)', () => {
  it('replays exactly from its seed, and another seed gives another plan', () => {
    const plan = planFaults(prng(42), options);
    expect(planFaults(prng(42), options)).toEqual(plan);
    expect(describePlan(planFaults(prng(42), options))).toEqual(describePlan(plan));
    expect(planFaults(prng(43), options)).not.toEqual(plan);
  });

  it('holds the requested faults of the chosen families, indexed in firing order', () => {
    const plan = planFaults(prng(7), options);
    expect(plan.map((f) => f.index)).toEqual(plan.map((_, i) => i));
    const kinds = plan.map((f) => f.action.kind);
    expect(kinds.filter((k) => k === 'kill')).toHaveLength(4);
    // 3 Graph faults and 2 Graph timeouts (a timeout is a Graph emulator fault too).
    expect(kinds.filter((k) => k === 'graph')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'sqlite-lock')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'slow-renewal')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'disk-full')).toHaveLength(1);
    expect(plan.filter((f) => f.name.startsWith('graph-timeout'))).toHaveLength(2);
    const onlyKills = planFaults(prng(7), { ...options, families: new Set(['kill']) });
    expect(onlyKills.every((f) => f.action.kind === 'kill')).toBe(true);
  });

  it('Graph timeouts hang 1-3 requests, applied or not; a full disk fires inside the host, for 3-15 s', () => {
    for (let seed = 1; seed <= 50; seed++)
      for (const f of planFaults(prng(seed), options)) {
        if (f.name.startsWith('graph-timeout') && f.action.kind === 'graph') {
          expect(f.action.faults.hangNext).toBeGreaterThanOrEqual(1);
          expect(f.action.faults.hangNext).toBeLessThanOrEqual(3);
          expect(f.action.faults.hangApplied).toBe(f.name === 'graph-timeout-applied');
        }
        if (f.action.kind === 'disk-full') {
          expect(['inbox-append', 'graph-write']).toContain(f.milestone.on);
          expect(f.action.seconds).toBeGreaterThanOrEqual(3);
          expect(f.action.seconds).toBeLessThanOrEqual(15);
        }
      }
    const without = planFaults(prng(7), { ...options, families: new Set(['kill', 'graph']) });
    expect(without.some((f) => f.name.startsWith('graph-timeout') || f.action.kind === 'disk-full')).toBe(false);
    expect(describePlan(planFaults(prng(7), { ...options, families: new Set(['disk']) }))).toEqual([
      expect.stringMatching(/^#0 disk-full for \d+ s, at (inbox-append|graph-write) #\d+/),
    ]);
  });

  it('puts the faults at an accepted event first (reachable only while events are sent)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const ons = planFaults(prng(seed), options).map((f) => f.milestone.on === 'accepted');
      expect(ons).toEqual([...ons].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it('over many seeds, aims kills at every point (between, Graph write, $batch, inbox, continueAsNew)', () => {
    const names = new Set<string>();
    const milestones = new Set<string>();
    for (let seed = 1; seed <= 200; seed++)
      for (const f of planFaults(prng(seed), options)) {
        names.add(f.name);
        milestones.add(f.milestone.on);
        if (f.milestone.on === 'accepted') expect(f.milestone.nth).toBeLessThanOrEqual(Math.ceil(options.events / 4));
        if (f.action.kind === 'sqlite-lock') expect(f.action.ms).toBeGreaterThan(0);
      }
    expect([...names]).toEqual(
      expect.arrayContaining([
        'kill-between',
        'kill-graph-write',
        'kill-graph-batch',
        'kill-inbox-append',
        'kill-continue-as-new',
        'graph-429-storm',
        'graph-429-in-batch',
        'graph-outage-503',
        'graph-429-storm-timed',
        'sqlite-lock-durable',
        'sqlite-lock-person-inbox',
        'servicebus-slow-renewal',
        'graph-timeout',
        'graph-timeout-applied',
        'disk-full',
      ]),
    );
    expect(milestones).toEqual(new Set(['accepted', 'graph-write', 'graph-batch', 'inbox-append', 'continue-as-new']));
  });

  it('prints each fault with where it lands', () => {
    const lines = describePlan([
      {
        index: 0,
        name: 'kill-graph-batch',
        milestone: { on: 'graph-batch', nth: 2, afterItems: 1 },
        action: { kind: 'kill' },
      },
      {
        index: 1,
        name: 'sqlite-lock-durable',
        milestone: { on: 'accepted', nth: 3 },
        action: { kind: 'sqlite-lock', file: 'durable', ms: 6000 },
      },
    ]);
    expect(lines).toEqual([
      '#0 kill-graph-batch, inside $batch #2 after 1 item(s) (counted from the previous fault)',
      '#1 sqlite-lock-durable for 6000 ms, after HR event #3 accepted (counted from the previous fault)',
    ]);
  });
});
