import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { SQLITE_FILES } from './fault-plan';

/** The data folder's SQLite files a lock fault can hold (the names the adapters and the local host give them). */
const FILES: Record<(typeof SQLITE_FILES)[number], string> = {
  durable: 'durable.sqlite',
  servicebus: 'servicebus.sqlite',
  'person-inbox': 'person-inbox.sqlite',
  audit: 'audit.sqlite',
};

/**
 * Another process's writer holding a SQLite file: BEGIN EXCLUSIVE on the data folder's file for `ms`, as a
 * backup tool or a second host on the same folder would. In WAL mode readers go on; every writer of the host
 * waits (better-sqlite3's busy timeout, 5 s) and then meets SQLITE_BUSY. Runs in a worker thread, because
 * better-sqlite3 is synchronous and the harness must keep driving the workload meanwhile. Resolves once the lock
 * is released; a file the host has not created yet is not locked (resolves false).
 */
export function holdSqliteLock(dataDir: string, file: keyof typeof FILES, ms: number): Promise<boolean> {
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const { existsSync } = require('node:fs');
    if (!existsSync(workerData.file)) { parentPort.postMessage(false); return; }
    const Database = require(workerData.sqlite);
    const db = new Database(workerData.file, { timeout: 10000 });
    db.exec('BEGIN EXCLUSIVE');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage(true);
  `;
  const worker = new Worker(`(() => {${source}})()`, {
    eval: true,
    workerData: { file: path.join(dataDir, FILES[file]), ms, sqlite: require.resolve('better-sqlite3') },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (locked: boolean) => resolve(locked));
    worker.once('error', reject);
  });
}

/** Activities the durable store holds as scheduled with no completion (work items), read-only. */
export function activitiesInFlight(dataDir: string): { id: number; name: string }[] {
  const file = path.join(dataDir, 'durable.sqlite');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    return db.prepare(`SELECT id, name FROM work ORDER BY id`).all() as { id: number; name: string }[];
  } finally {
    db.close();
  }
}
