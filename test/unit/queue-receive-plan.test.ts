import type Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { QueueStore } from '../../local/servicebus/queue-store';

/**
 * Issue 16: with a backlog of thousands (a 10,000-row CSV import), every receive sorted the whole backlog to
 * find the oldest visible message. The receive queries must walk an index in sequence order instead: no
 * temporary B-tree for ORDER BY in their query plans, whatever the backlog.
 */
function openWithBacklog(sessions: boolean): { store: QueueStore; db: Database.Database; statements: string[] } {
  const store = new QueueStore(path.join(mkdtempSync(path.join(tmpdir(), 'jml-queue-plan-')), 'queue.sqlite'));
  const db = (store as unknown as { db: Database.Database }).db;
  store.send(
    'hr-events',
    Array.from({ length: 2_000 }, (_, i) => ({
      messageId: `m${i}`,
      sessionId: sessions ? `p${i % 500}` : null,
      body: i,
    })),
  );
  const statements: string[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    statements.push(sql);
    return prepare(sql);
  }) as typeof db.prepare;
  return { store, db, statements };
}

function sortsInPlan(db: Database.Database, statements: string[]): string[] {
  return statements
    .filter((sql) => /^\s*SELECT/i.test(sql))
    .flatMap((sql) => {
      const params = (sql.match(/\?/g) ?? []).map(() => 0);
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
      return plan.filter((p) => p.detail.includes('TEMP B-TREE')).map((p) => `${p.detail} in ${sql}`);
    });
}

describe('the local queue receives in sequence order without sorting the backlog', () => {
  it('with sessions: the oldest head of an unlocked session, through the FIFO index', () => {
    const { store, db, statements } = openWithBacklog(true);
    const first = store.receive('hr-events', 'owner-1', true);
    const second = store.receive('hr-events', 'owner-2', true);
    expect([first?.messageId, second?.messageId]).toEqual(['m0', 'm1']);
    expect(sortsInPlan(db, statements)).toEqual([]);
    store.close();
  });

  it('without sessions: the oldest visible message, through the FIFO index', () => {
    const { store, db, statements } = openWithBacklog(false);
    expect(store.receive('hr-events', 'owner-1', false)?.messageId).toBe('m0');
    expect(sortsInPlan(db, statements)).toEqual([]);
    store.close();
  });
});
