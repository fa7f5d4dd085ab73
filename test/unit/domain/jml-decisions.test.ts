import { describe, expect, it } from 'vitest';
import {
  accessChanges,
  assignedGroupMemberships,
  leaverMemberships,
  managerChange,
  managerNoticeRecipients,
  selfActivates,
  workerSchedule,
} from '../../../shared/domain/jml-decisions';
import type { Policy } from '../../../shared/domain/policy';
import { demoPolicy, G, worker } from './fixtures';

/** The decisions the JML activities and the dry-run plan share (one pure function each). */
const withPolicy = (change: (p: Policy) => Partial<Policy>): Policy => ({ ...demoPolicy, ...change(demoPolicy) });

describe('selfActivates and workerSchedule', () => {
  it('self-activation needs the policy on and a personal email', () => {
    const on = withPolicy((p) => ({ activation: { ...p.activation, enabled: true } }));
    const off = withPolicy((p) => ({ activation: { ...p.activation, enabled: false } }));
    expect(selfActivates(worker({ personalEmail: 'ada@home.example' }), on)).toBe(true);
    expect(selfActivates(worker(), on)).toBe(false);
    expect(selfActivates(worker({ personalEmail: 'ada@home.example' }), off)).toBe(false);
  });

  it('gives the instants and the retention of the policy; no leave date is null', () => {
    const schedule = workerSchedule(worker({ hireDate: '2026-12-01' }), demoPolicy);
    expect(schedule).toMatchObject({ leaveAt: null, retentionDays: demoPolicy.leaver.retentionDays });
    expect(schedule.hireAt).toBe('2026-11-30T23:00:00.000Z');
    expect(Date.parse(schedule.createAccountAt)).toBeLessThanOrEqual(Date.parse(schedule.hireAt));
    expect(workerSchedule(worker({ leaveDate: '2026-12-31' }), demoPolicy).leaveAt).toBe('2026-12-31T23:00:00.000Z');
  });
});

describe('accessChanges', () => {
  const engineer = worker({ department: 'Engineering' });
  const granted = accessChanges([], engineer, demoPolicy).add;

  it('adds what the policy grants plus extra groups, once each', () => {
    expect(granted.length).toBeGreaterThan(0);
    const withExtra = accessChanges([], engineer, demoPolicy, { extraGroupIds: [G(20), G(20), granted[0]!] });
    expect(withExtra.add).toEqual([...granted, G(20)]);
  });

  it('a mover keeps removals for the grace period; without grace days they go now', () => {
    const sales = worker({ department: 'Sales' });
    const now = accessChanges(granted, sales, demoPolicy);
    expect(now.remove.length).toBeGreaterThan(0);
    expect(now.deferred).toEqual([]);
    const deferred = accessChanges(granted, sales, demoPolicy, { deferRemovals: true });
    expect(deferred).toEqual({ add: now.add, remove: [], deferred: now.remove });
    const noGrace = withPolicy((p) => ({ mover: { ...p.mover, graceDays: 0 } }));
    expect(accessChanges(granted, sales, noGrace, { deferRemovals: true })).toEqual({
      add: now.add,
      remove: now.remove,
      deferred: [],
    });
  });
});

describe('managerChange', () => {
  it('sets a manager that differs (ignoring case), removes one the record no longer has, else no write', () => {
    const managed = worker({ managerEmployeeId: 'E0001' });
    expect(managerChange(managed, 'M-1', null)).toBe('M-1');
    expect(managerChange(managed, 'M-2', 'm-1')).toBe('M-2');
    expect(managerChange(managed, 'M-1', 'm-1')).toBeUndefined();
    // The manager has no account yet: no write, the current one stays.
    expect(managerChange(managed, null, 'm-1')).toBeUndefined();
    expect(managerChange(worker(), null, 'm-1')).toBeNull();
    expect(managerChange(worker(), null, null)).toBeUndefined();
  });
});

describe('leaverMemberships', () => {
  const licence = demoPolicy.licenceGroups[0]!.id;
  const memberships = [
    { id: G(1), displayName: 'One', kind: 'group' as const, keptBecause: null },
    { id: licence.toUpperCase(), displayName: 'Licence', kind: 'group' as const, keptBecause: null },
    { id: 'dyn', displayName: 'Dynamic', kind: 'group' as const, keptBecause: 'dynamic membership' },
    { id: 'role', displayName: 'Admins', kind: 'directoryRole' as const, keptBecause: null },
  ];

  it('removes assigned groups and licence groups as the policy says; keeps the rest with why', () => {
    expect(leaverMemberships(memberships, demoPolicy)).toEqual({
      removable: [G(1), licence.toUpperCase()],
      kept: [
        { id: 'dyn', displayName: 'Dynamic', kind: 'group', why: 'dynamic membership' },
        {
          id: 'role',
          displayName: 'Admins',
          kind: 'directoryRole',
          why: 'the policy keeps it (leaver.removeGroups / leaver.removeLicences)',
        },
      ],
    });
  });

  it('leaver.removeLicences and leaver.removeGroups each keep their kind of group', () => {
    const keepLicences = withPolicy((p) => ({ leaver: { ...p.leaver, removeLicences: false } }));
    expect(leaverMemberships(memberships, keepLicences).removable).toEqual([G(1)]);
    const keepGroups = withPolicy((p) => ({ leaver: { ...p.leaver, removeGroups: false } }));
    expect(leaverMemberships(memberships, keepGroups).removable).toEqual([licence.toUpperCase()]);
  });

  it('memberships known only by id are assigned groups', () => {
    expect(assignedGroupMemberships([G(1)])).toEqual([
      { id: G(1), displayName: null, kind: 'group', keptBecause: null },
    ]);
  });
});

describe('managerNoticeRecipients', () => {
  const record = worker({ managerEmployeeId: 'E0001' });

  it('leaver: the manager when the policy says so; [] without a manager; null when it does not', () => {
    expect(managerNoticeRecipients('leaver', record, demoPolicy)).toEqual(['E0001']);
    expect(managerNoticeRecipients('leaver', worker(), demoPolicy)).toEqual([]);
    const quiet = withPolicy((p) => ({ leaver: { ...p.leaver, notifyManager: false } }));
    expect(managerNoticeRecipients('leaver', record, quiet)).toBeNull();
  });

  it('mover: current and previous managers, once, when a watched field changed', () => {
    const field = demoPolicy.mover.notifyOn[0]!;
    expect(
      managerNoticeRecipients('mover', record, demoPolicy, {
        previousManagerEmployeeId: 'E0002',
        changedFields: [field],
      }),
    ).toEqual(['E0001', 'E0002']);
    expect(
      managerNoticeRecipients('mover', record, demoPolicy, {
        previousManagerEmployeeId: 'E0001',
        changedFields: [field],
      }),
    ).toEqual(['E0001']);
    expect(managerNoticeRecipients('mover', worker(), demoPolicy, { changedFields: [field] })).toEqual([]);
    expect(managerNoticeRecipients('mover', record, demoPolicy, { changedFields: ['notWatched'] })).toBeNull();
    expect(managerNoticeRecipients('mover', record, demoPolicy)).toBeNull();
    const quiet = withPolicy((p) => ({ mover: { ...p.mover, notifyManagers: false } }));
    expect(managerNoticeRecipients('mover', record, quiet, { changedFields: [field] })).toBeNull();
  });
});
