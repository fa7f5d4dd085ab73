import type Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableStore, type InstanceRow } from '../../local/durable/durable-store';

/**
 * Issue 16: at 50,000 people the local durable store must answer per-instance operations through an index, not
 * by scanning every timer, work item or instance. Each statement the operations run is checked with EXPLAIN
 * QUERY PLAN: no full SCAN of a table.
 */
function instance(id: string, updatedAt: string): InstanceRow {
  return {
    id,
    name: 'person',
    status: 'Running',
    input: 'null',
    output: 'null',
    custom_status: JSON.stringify({ phase: id }),
    created_at: updatedAt,
    updated_at: updatedAt,
    parent_id: null,
    parent_task_id: null,
    engine: '{}',
  };
}

function recordStatements(db: Database.Database): string[] {
  const statements: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  return statements;
}

function scans(db: Database.Database, statements: string[]): string[] {
  return statements.flatMap((sql) => {
    const params = (sql.match(/\?/g) ?? []).map(() => 'x');
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    return plan.filter((p) => /^SCAN /.test(p.detail)).map((p) => `${p.detail} in ${sql.replace(/\s+/g, ' ')}`);
  });
}

describe('the local durable store finds an instance’s rows through indexes', () => {
  const store = new DurableStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-durable-idx-')), 'durable.sqlite'));
  store.tx(() => {
    for (let i = 0; i < 50; i++) {
      store.saveInstance(instance(`person-${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`));
      store.addTimer(`person-${i}`, 1000 + i, {
        EventType: 10,
        EventId: i,
        IsPlayed: false,
        Timestamp: '',
        TimerId: i,
      });
      store.addWork({ instance_id: `person-${i}`, task_id: 1, kind: 'activity', name: 'a', input: 'null' });
    }
    store.saveInstance(instance('other-1', '2026-01-01T00:01:00.000Z'));
  });

  it('cancelling timers, purging and polling custom statuses read no whole table', () => {
    const statements = recordStatements(store.db);
    store.deleteTimersOf('person-1');
    store.deleteTimersOf('person-2', 2);
    store.purge('person-3');
    store.customStatuses('person-');
    store.customStatuses('person-', '2026-01-01T00:00:48.000Z');
    expect(scans(store.db, statements)).toEqual([]);
  });

  it('custom statuses: the prefix only, and with updatedSince only what changed since', () => {
    const all = store.customStatuses('person-');
    expect(all.every((r) => r.id.startsWith('person-'))).toBe(true);
    expect(all.length).toBeGreaterThan(40);
    const recent = store.customStatuses('person-', '2026-01-01T00:00:48.000Z');
    expect(recent.map((r) => r.id).sort()).toEqual(['person-48', 'person-49']);
    expect(recent[0]!.updated_at >= '2026-01-01T00:00:48.000Z').toBe(true);
  });
});
