import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { guardWrites } from '../../local/chaos/disk-full';

describe('chaos fault: full disk', () => {
  it("fails the app's writes with SQLITE_FULL while the window lasts; reads go on; writes resume after", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jml-disk-'));
    const db = new Database(path.join(dir, 'audit.sqlite'));
    db.exec('CREATE TABLE t (v TEXT)');
    let fullUntil = Date.now() + 60_000;
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const select = db.prepare('SELECT count(*) AS n FROM t');
    guardWrites(insert, db.name, () => fullUntil);
    guardWrites(select, db.name, () => fullUntil);
    let error: unknown;
    try {
      insert.run('a');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect((error as { code: string }).code).toBe('SQLITE_FULL');
    expect(select.get()).toEqual({ n: 0 });
    fullUntil = 0;
    insert.run('b');
    expect(select.get()).toEqual({ n: 1 });
    db.close();
  });

  it("leaves the Graph emulator's file alone (it stands for Graph, not the app's disk)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jml-disk-'));
    const db = new Database(path.join(dir, 'graph-emulator.sqlite'));
    db.exec('CREATE TABLE t (v TEXT)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    guardWrites(insert, db.name, () => Date.now() + 60_000);
    expect(insert.run('a').changes).toBe(1);
    db.close();
  });
});
