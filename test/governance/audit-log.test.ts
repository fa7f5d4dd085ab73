import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from '../../shared/adapters/audit/sqlite-audit-log';
import { TableStorageAuditLog } from '../../shared/adapters/audit/table-storage-audit-log';
import type { AuditRecord } from '../../shared/ports/audit-log';
import { fakeTable } from '../support/fake-table';

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

describe('TableStorageAuditLog', () => {
  it('writes one entity per record keyed by person and time, redacted, and filters with OData', async () => {
    const created: Record<string, unknown>[] = [];
    let filter: string | undefined;
    const fake = {
      createEntity: async (entity: Record<string, unknown>) => void created.push(entity),
      listEntities: (options: { queryOptions?: { filter?: string } }) => {
        filter = options.queryOptions?.filter;
        return (async function* () {
          for (const e of created) yield e;
        })();
      },
    } as unknown as TableClient;
    const log = new TableStorageAuditLog(fake);
    await log.append([record('A', '2026-11-25T12:00:00Z'), record('A', '2026-11-25T10:00:00Z')]);
    expect(created[0]).toMatchObject({ partitionKey: 'A', at: '2026-11-25T12:00:00Z', target: 'entra' });
    expect(String(created[0]!.rowKey)).toMatch(/^2026-11-25T12:00:00Z_/);
    expect(String(created[0]!.record)).not.toContain('Secret#1');
    const rows = await log.query({ employeeId: "O'Neil", from: '2026-11-25T00:00:00Z' });
    expect(filter).toBe("PartitionKey eq 'O''Neil' and at ge '2026-11-25T00:00:00Z'");
    expect(rows.map((r) => r.at)).toEqual(['2026-11-25T10:00:00Z', '2026-11-25T12:00:00Z']);
  });
});

describe('audit pages (issue 23 item 11: no silent stop at 1,000)', () => {
  const logs = {
    sqlite: () => new SqliteAuditLog(path.join(mkdtempSync(path.join(tmpdir(), 'jml-audit-')), 'audit.sqlite')),
    table: () => new TableStorageAuditLog(fakeTable()),
  };
  it.each(Object.keys(logs) as (keyof typeof logs)[])(
    '%s: pages with a continuation token until none is left',
    async (kind) => {
      const log = logs[kind]();
      const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 0, 0, i)).toISOString();
      await log.append(Array.from({ length: 25 }, (_, i) => record(i % 2 ? 'A' : 'B', at(i))));
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await log.page({ limit: 10, continuationToken: token });
        seen.push(...page.records.map((r) => r.at));
        token = page.continuationToken ?? undefined;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => at(i)));
      const exact = await log.page({ limit: 25 });
      expect(exact.continuationToken).toBeNull();
      await expect(log.page({ continuationToken: 'bm90LW91cnM' })).rejects.toThrow(/continuationToken/);
    },
  );
});
