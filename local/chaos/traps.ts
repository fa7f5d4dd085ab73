import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DurableStore } from '../durable/durable-store';
import { GraphApi, type GraphRequest } from '../emulators/graph/graph-api';
import { QueueStore } from '../servicebus/queue-store';
import { guardWrites } from './disk-full';
import { installEffectLog, type CurrentRequest } from './effect-log';
import { ArmedTrap, TRAP_LINE_PREFIX, type TrapFired, type TrapMilestone } from './fault-plan';

/**
 * Chaos traps, preloaded into the host by the chaos harness only (`node --require dist/local/chaos/traps.js`,
 * with ENTRA_JML_CHAOS_TRAPS=1): no product file changes. The harness arms one trap at a time over IPC; the trap
 * counts its milestone (Graph writes, $batch items, inbox appends, continueAsNew commits) by wrapping the local
 * stand-ins' methods and the inbox's SQL statement, and when it fires it reports on stderr (a synchronous write,
 * so the report is out before anything else happens) and then either freezes the host right there, inside the
 * $batch or the transaction, until the harness's SIGKILL lands, or injects its fault in the host itself. They
 * also log the emulator's effective changes (effect-log.ts) and simulate a full disk (`disk-full`: every write
 * statement of the app's SQLite stores fails with SQLITE_FULL for a while, as SQLite answers when the disk is full,
 * https://www.sqlite.org/rescode.html#full).
 */
if (process.env.ENTRA_JML_CHAOS_TRAPS === '1') install();

let armed: ArmedTrap | null = null;
let seen = 0;
let lastApi: GraphApi | null = null;
/** Items of the armed $batch still to run before the trap fires (null: no armed $batch running). */
let batchItemsLeft: number | null = null;
let slowRenewal: { lockMs: number; until: number } | null = null;
/** Until this instant (epoch ms) the app's SQLite stores answer every write with SQLITE_FULL. */
let diskFullUntil = 0;
/** The Graph request the emulator is applying: named in the effect log's rows. */
let current: CurrentRequest = { request: null, requestId: null };
const logged = new WeakSet<object>();

function report(fired: TrapFired): void {
  writeSync(2, `${TRAP_LINE_PREFIX}${JSON.stringify(fired)}\n`);
}

/** Counts one occurrence of `on`; fires the armed trap at its n-th. */
function reached(on: TrapMilestone['on']): void {
  if (!armed || armed.milestone.on !== on) return;
  seen++;
  if (seen >= armed.milestone.nth) fire();
}

function fire(): void {
  const trap = armed!;
  armed = null;
  batchItemsLeft = null;
  const { effect } = trap;
  const fired: TrapFired = { index: trap.index, on: trap.milestone.on };
  if (effect.kind === 'graph' && lastApi) {
    const { outageSeconds, ...rest } = effect.faults;
    const until = outageSeconds ? Date.now() + outageSeconds * 1000 : undefined;
    Object.assign(lastApi.faults, rest, until ? { unavailableUntil: until } : {});
    if (until) fired.outageUntil = until;
  }
  if (effect.kind === 'slow-renewal')
    slowRenewal = { lockMs: effect.lockMs, until: Date.now() + effect.seconds * 1000 };
  if (effect.kind === 'disk-full') diskFullUntil = Date.now() + effect.seconds * 1000;
  report(fired);
  // Synchronous on purpose: nothing else runs in this process (no commit, no answer) until the kill lands.
  if (effect.kind === 'freeze') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, effect.maxMs);
}

/** The emulator's effective changes, logged on its connection once (effect-log.ts). */
function logEffects(api: GraphApi): void {
  const db = api.store.db;
  if (logged.has(db)) return;
  logged.add(db);
  try {
    installEffectLog(db, () => current);
  } catch (error) {
    writeSync(2, `chaos traps: effect log not installed: ${String(error)}\n`);
  }
}

function install(): void {
  process.on('message', (message: unknown) => {
    const trap = ArmedTrap.safeParse(message);
    if (!trap.success) return;
    armed = trap.data;
    seen = 0;
    batchItemsLeft = null;
  });
  // The IPC channel alone must not keep the host alive.
  process.channel?.unref();

  const graph = GraphApi.prototype as unknown as {
    handle: (this: GraphApi, req: GraphRequest, batchItem?: boolean, throttledUntil?: number) => unknown;
    batch: (this: GraphApi, req: GraphRequest) => unknown;
  };
  const handle = graph.handle;
  graph.handle = function (this: GraphApi, req, batchItem, throttledUntil) {
    // The emulator's instance in this host: a Graph fault fired by another milestone is set on it.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    lastApi = this;
    logEffects(this);
    const outer = current;
    const requestId = batchItem ? outer.requestId : (req.headers?.['client-request-id'] ?? null);
    current = { request: `${req.method} ${req.path}`, requestId };
    let response: unknown;
    try {
      response = handle.call(this, req, batchItem, throttledUntil);
    } finally {
      current = outer;
    }
    if (req.method !== 'GET' && req.path !== '/$batch') reached('graph-write');
    if (batchItem && batchItemsLeft !== null && --batchItemsLeft <= 0) fire();
    return response;
  };
  const batch = graph.batch;
  graph.batch = function (this: GraphApi, req) {
    if (armed?.milestone.on === 'graph-batch' && ++seen >= armed.milestone.nth)
      batchItemsLeft = armed.milestone.afterItems;
    const response = batch.call(this, req);
    // Fewer items than afterItems: fire after the last one, still before the $batch is answered.
    if (batchItemsLeft !== null) fire();
    return response;
  };

  const durable = DurableStore.prototype as unknown as { clearHistory: (this: DurableStore, id: string) => void };
  const clearHistory = durable.clearHistory;
  // clearHistory runs only inside the engine's continueAsNew commit (engine.ts runEpisode).
  durable.clearHistory = function (this: DurableStore, id: string) {
    reached('continue-as-new');
    return clearHistory.call(this, id);
  };

  // The person inbox's append (shared/adapters/inbox/sqlite-person-inbox.ts): its INSERT, inside its transaction.
  const sqlite = Database.prototype as unknown as {
    prepare: (this: Database.Database, sql: string) => Database.Statement;
  };
  const prepare = sqlite.prepare;
  sqlite.prepare = function (this: Database.Database, sql: string) {
    const statement = prepare.call(this, sql) as Database.Statement;
    guardWrites(statement, this.name, () => diskFullUntil);
    if (sql.startsWith('INSERT INTO inbox (employee_id')) {
      const run = statement.run.bind(statement);
      statement.run = (...args: unknown[]) => {
        reached('inbox-append');
        return run(...args);
      };
    }
    return statement;
  };

  // Slow renewal: locks taken during the window last lockMs; renewals still come every half default duration.
  const queue = QueueStore.prototype as unknown as { receive: (...args: unknown[]) => unknown };
  const receive = queue.receive;
  const defaults = new WeakMap<object, unknown>();
  queue.receive = function (this: { settings: { lockDurationMs: number } }, ...args: unknown[]) {
    if (!defaults.has(this)) defaults.set(this, this.settings);
    const slow = slowRenewal && Date.now() < slowRenewal.until ? slowRenewal : null;
    this.settings = slow
      ? { ...(defaults.get(this) as object as { lockDurationMs: number }), lockDurationMs: slow.lockMs }
      : (defaults.get(this) as { lockDurationMs: number });
    return receive.apply(this, args);
  };
}
