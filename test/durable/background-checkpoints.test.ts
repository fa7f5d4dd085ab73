import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../shared/adapters/sqlite/open-database';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from '../../shared/adapters/sqlite/background-checkpoints';

/**
 * Issue 16: a WAL checkpoint ran on the event loop's commit (522 of durable.sqlite's commits over 2 ms under the
 * SCIM fan-out bench, 6.5 s in all). The hot files are checkpointed by a worker thread instead.
 */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > 20_000) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function fill(file: string, options: { backgroundCheckpoints?: boolean }) {
  const db = openDatabase(file, 'CREATE TABLE IF NOT EXISTS t (v TEXT)', options);
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  // 300 rows of 4 KB: about 300 pages, well under the 1,000 of SQLite's own autocheckpoint.
  for (let i = 0; i < 300; i++) insert.run('x'.repeat(4000));
  return db;
}

describe('background WAL checkpoints', () => {
  it('copies the WAL into the database file off the app’s thread, a far autocheckpoint as safety net', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-ckpt-')), 'hot.sqlite');
    const db = fill(file, { backgroundCheckpoints: true });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    await until(() => statSync(file).size > 1_000_000, 'the database file holds the rows');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 300 });
    db.close();
  });

  it('leaves other files to SQLite’s own autocheckpoint (nothing copies their WAL before 1,000 pages)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jml-ckpt-')), 'cold.sqlite');
    const hot = fill(path.join(path.dirname(file), 'hot.sqlite'), { backgroundCheckpoints: true });
    const db = fill(file, {});
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await until(() => statSync(path.join(path.dirname(file), 'hot.sqlite')).size > 1_000_000, 'the hot file');
    expect(statSync(file).size).toBeLessThan(100_000);
    db.close();
    hot.close();
  });
});
