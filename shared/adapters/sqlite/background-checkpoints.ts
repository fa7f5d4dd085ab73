import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/**
 * WAL checkpoints off the event loop. SQLite checkpoints a WAL file on the commit that takes it past
 * `wal_autocheckpoint` pages (1,000 by default), in the committing connection: copying the pages back into the
 * database and, with synchronous=NORMAL, an fsync of both files (https://www.sqlite.org/wal.html#ckpt,
 * https://www.sqlite.org/pragma.html#pragma_synchronous). On the local host that commit is on the one thread that
 * runs every orchestration: under the SCIM fan-out bench, 522 of durable.sqlite's 7,698 commits took over 2 ms and
 * held 6.5 s of the 8 s its commits cost, the checkpoints. A worker thread with its own connection to each hot file
 * runs a PASSIVE checkpoint a few times a second instead (PASSIVE never waits for the app's readers or writer), and
 * the app's connection keeps a far autocheckpoint as a safety net should the worker fall behind or die.
 */
const EVERY_MS = 250;
/** About 40 MiB of WAL at 4 KiB pages before the app's own connection checkpoints after all. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

const WORKER_SOURCE = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.sqlite);
  const open = new Map();
  parentPort.on('message', ({ add, remove }) => {
    if (add && !open.has(add)) {
      try { open.set(add, new Database(add, { fileMustExist: true, timeout: 0 })); } catch {}
    }
    if (remove) { try { open.get(remove)?.close(); } catch {} open.delete(remove); }
  });
  setInterval(() => {
    for (const db of open.values()) {
      // SQLITE_BUSY (another checkpoint or a lock holder) or a file gone: the next round tries again.
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }
  }, workerData.everyMs);
`;

let worker: Worker | undefined;
const users = new Map<string, number>();

function checkpointer(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sqlite: require.resolve('better-sqlite3'), everyMs: EVERY_MS },
    });
    // The checkpointer never keeps a process alive; if it dies, the app's autocheckpoint takes over.
    worker.unref();
    const self = worker;
    const forget = () => {
      if (worker === self) worker = undefined;
    };
    worker.on('error', forget);
    worker.on('exit', forget);
  }
  return worker;
}

function stopCheckpointer(): void {
  const stopping = worker;
  worker = undefined;
  void stopping?.terminate();
}

/** Hands `db`'s checkpoints (its file: `file`) to the background checkpointer until `db` is closed. */
export function checkpointInBackground(db: Database.Database, file: string): void {
  db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  users.set(file, (users.get(file) ?? 0) + 1);
  checkpointer().postMessage({ add: file });
  const close = db.close.bind(db);
  db.close = () => {
    const left = (users.get(file) ?? 1) - 1;
    if (left > 0) users.set(file, left);
    else {
      users.delete(file);
      worker?.postMessage({ remove: file });
      // The last file closed (a host stopped, a test done): the thread goes too.
      if (!users.size) stopCheckpointer();
    }
    return close();
  };
}
