import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { auditPagingContract } from './audit-paging-contract';
import { auditIntentContract } from './audit-intent-contract';

const record = (employeeId: string, at: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  at,
  actor: 'orchestration',
  action: 'joiner.createUser',
  employeeId,
  target: 'entra',
  outcome: 'success',
  reason: null,
  before: null,
  after: { id: 'u1', temporaryAccessPass: 'Secret#1', nested: { password: 'p' } },
  correlation: { eventId: 'e1', instanceId: 'person-1' },
  ...extra,
});

// TableStorageAuditLog: audit-log-azurite.test.ts.
describe('SqliteAuditLog', () => {
  it('appends, queries by person and time, redacts secrets, and refuses updates and deletes', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-audit-')), 'audit.sqlite');
    const log = new SqliteAuditLog(file);
    await log.append([
      record('A', '2026-11-25T10:00:00Z'),
      record('B', '2026-11-25T11:00:00Z'),
      record('A', '2026-11-25T12:00:00Z', { target: 'slack' }),
    ]);
    expect((await log.query({ employeeId: 'A' })).map((r) => r.at)).toEqual([
      '2026-11-25T10:00:00Z',
      '2026-11-25T12:00:00Z',
    ]);
    expect(await log.query({ employeeId: 'A', target: 'slack' })).toHaveLength(1);
    expect(await log.query({ from: '2026-11-25T10:30:00Z', to: '2026-11-25T11:30:00Z' })).toHaveLength(1);
    const [first] = await log.query({ employeeId: 'B' });
    expect(first!.after).toEqual({ id: 'u1', temporaryAccessPass: '[redacted]', nested: { password: '[redacted]' } });
    const raw = new Database(file);
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE audit SET target = 'x'").run()).toThrow(/append-only/);
  });
});

describe('audit pages on SQLite', () => {
  auditPagingContract(
    async () => new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-audit-')), 'audit.sqlite')),
  );
});

describe('audit intents on SQLite', () => {
  auditIntentContract(
    async () => new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-audit-')), 'audit.sqlite')),
  );
});
