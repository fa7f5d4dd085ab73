import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DeletionGuard } from '../../shared/governance/deletion-guard';
import { deletionGuardContract, policy } from './deletion-guard-contract';

// Table Storage: deletion-guard-azurite.test.ts.
describe('deletion guard on SQLite', () => {
  deletionGuardContract(
    async () => new DeletionGuard(path.join(mkdtempSync(path.join(tmpdir(), 'jml-guard-')), 'g.sqlite')),
  );

  it('opens a file written before decision keys: its holds are found by their instance id', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-guard-')), 'g.sqlite');
    const old = new Database(file);
    old.exec(
      `CREATE TABLE removals (at INTEGER NOT NULL, employee_id TEXT NOT NULL, action TEXT NOT NULL);
       CREATE INDEX removals_at ON removals(at);
       CREATE TABLE holds (
         hold_id TEXT PRIMARY KEY, employee_id TEXT NOT NULL, action TEXT NOT NULL, instance_id TEXT NOT NULL,
         event_id TEXT, created_at TEXT NOT NULL, status TEXT NOT NULL, decided_by TEXT);
       INSERT INTO removals VALUES (${Date.now()}, 'E1', 'disable'), (${Date.now()}, 'E2', 'disable');
       INSERT INTO holds VALUES
         ('h-3', 'E3', 'disable', 'person-E3:leaver', 't3', '2026-01-01T00:00:00Z', 'held', NULL);`,
    );
    old.close();
    const guard = new DeletionGuard(file);
    const request = { employeeId: 'E3', action: 'disable' as const, instanceId: 'person-E3:leaver' };
    expect(await guard.check(request, policy)).toEqual({ decision: 'held', holdId: 'h-3' });
    // The two removals of the hour still count: maxPerHour 2.
    expect((await guard.check({ ...request, employeeId: 'E4', decisionKey: 't4:0' }, policy)).decision).toBe('held');
  });
});
