import { describe, expect, it } from 'vitest';
import { auditMismatches, claimsOf } from '../../local/chaos/audit-trail';
import type { Effect } from '../../local/chaos/effect-log';
import type { AuditRecord } from '../../shared/ports/audit-log';

let seq = 0;
const effect = (over: Partial<Effect>): Effect => ({
  seq: ++seq,
  kind: 'create',
  employeeId: 'K0P1',
  userId: 'u1',
  target: null,
  request: 'POST /users',
  requestId: `r${seq}`,
  ...over,
});
type Row = Pick<AuditRecord, 'action' | 'employeeId' | 'outcome' | 'before' | 'after'>;
const row = (over: Partial<Row>): Row => ({
  action: 'joiner.createUser',
  employeeId: 'K0P1',
  outcome: 'success',
  before: null,
  after: null,
  ...over,
});
const trial = (id: string) => id.startsWith('K');

/** A joiner as the product records it: create, groups and manager in one access.apply row. */
const joinerEffects = [
  effect({ kind: 'create' }),
  effect({ kind: 'group-add', target: 'g1', request: 'PATCH /groups/g1' }),
  effect({ kind: 'group-add', target: 'g2', request: 'PATCH /groups/g2' }),
  effect({ kind: 'manager-set', target: 'm1', request: 'PUT /users/u1/manager/$ref' }),
];
const joinerRows = [
  row({ action: 'joiner.createUser', after: { id: 'u1' } }),
  row({
    action: 'access.apply',
    before: { groups: [], manager: null },
    after: { add: ['g1', 'g2'], remove: [], manager: 'm1' },
  }),
  row({ action: 'notifyManager', outcome: 'success' }),
];

describe('chaos check: one audit row per effective change', () => {
  it('matches a joiner: every change has its row and no row claims more', () => {
    expect(auditMismatches(joinerEffects, joinerRows, trial)).toEqual([]);
  });

  it('reports a change without its row (the step was cut off between its write and its row)', () => {
    const effects = [...joinerEffects, effect({ kind: 'disable', request: 'PATCH /users/u1' })];
    // The retried step found the account already disabled and wrote a row that claims nothing.
    const rows = [...joinerRows, row({ action: 'disableUser', outcome: 'skipped' })];
    expect(auditMismatches(effects, rows, trial)).toEqual([
      expect.stringMatching(
        /^K0P1: disable without its audit row: 1 change\(s\), 0 row\(s\) \(PATCH \/users\/u1 r\d+\)$/,
      ),
    ]);
  });

  it('reports a doubled row (two rows for one change)', () => {
    const rows = [...joinerRows, row({ action: 'joiner.createUser', after: { id: 'u1' } })];
    expect(auditMismatches(joinerEffects, rows, trial)).toEqual([
      expect.stringMatching(/^K0P1: create audited twice or never made: 1 change\(s\), 2 row\(s\)/),
    ]);
  });

  it('reports a group add claimed twice, and one no row claims, by group', () => {
    const rows = [
      row({ action: 'joiner.createUser' }),
      row({ action: 'access.apply', before: { manager: 'm1' }, after: { add: ['g1', 'g1'], manager: 'm1' } }),
    ];
    expect(auditMismatches(joinerEffects, rows, trial)).toEqual([
      expect.stringMatching(/^K0P1: group-add g1 audited twice/),
      expect.stringMatching(/^K0P1: group-add g2 without its audit row/),
      expect.stringMatching(/^K0P1: manager-set m1 without its audit row/),
    ]);
  });

  it("counts what a deletion ends as part of it, and the leaver's disable claim only when it happened", () => {
    const effects = [
      effect({ kind: 'group-remove', target: 'g1', request: 'DELETE /users/u1' }),
      effect({ kind: 'manager-remove', target: 'm1', request: 'DELETE /users/u1' }),
      effect({ kind: 'delete', request: 'DELETE /users/u1' }),
    ];
    const rows = [
      row({ action: 'leaver.removeAccess', after: { accountEnabled: false, removed: [] } }),
      row({ action: 'deleteUser' }),
    ];
    expect(auditMismatches(effects, rows, trial)).toEqual([]);
    // A removal outside a deletion needs its row.
    expect(
      auditMismatches([effect({ kind: 'group-remove', target: 'g1', request: 'POST /$batch' })], [], trial),
    ).toHaveLength(1);
  });

  it("a failed step's row may stand for the writes it made, and its retry's row counts", () => {
    const failed = row({ action: 'access.apply', outcome: 'failure', after: { add: ['g1', 'g2'], manager: 'm1' } });
    // The first attempt added nothing (all refused): the retry's row claims everything.
    expect(auditMismatches(joinerEffects, [failed, ...joinerRows], trial)).toEqual([]);
    // The first attempt added g1 and g2 before the manager write was refused; the retry added the manager only.
    const retry = row({ action: 'access.apply', before: { manager: null }, after: { add: [], manager: 'm1' } });
    expect(auditMismatches(joinerEffects, [row({}), failed, retry], trial)).toEqual([]);
  });

  it('ignores people outside the trial and rows that claim no change', () => {
    expect(auditMismatches([effect({ employeeId: 'E100' })], [row({ employeeId: 'E100' })], trial)).toEqual([]);
    expect(claimsOf(row({ action: 'step.failed', outcome: 'failure' }))).toEqual([]);
    expect(claimsOf(row({ action: 'mover.updateUser', outcome: 'skipped' }))).toEqual([]);
    expect(claimsOf(row({ action: 'joiner.converge', after: {} }))).toEqual([]);
    expect(claimsOf(row({ action: 'joiner.converge', after: { department: 'Sales', accountEnabled: true } }))).toEqual([
      { key: 'update' },
      { key: 'enable' },
    ]);
  });
});
