import type Database from 'better-sqlite3';
import { openDatabase } from '../../shared/adapters/sqlite/open-database';
import { randomUUID } from 'node:crypto';

/**
 * Service Bus queue semantics, persisted in SQLite, for the local host:
 * - peek-lock with lock tokens and expiry; an expired lock makes the message available again
 *   (https://learn.microsoft.com/azure/service-bus-messaging/message-transfers-locks-settlement)
 * - delivery count, max delivery count → dead-letter with reason MaxDeliveryCountExceeded
 *   (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues)
 * - sessions: FIFO within a session, one receiver holds a session at a time
 *   (https://learn.microsoft.com/azure/service-bus-messaging/message-sessions)
 * - duplicate detection on MessageId within a window: the duplicate is accepted and dropped
 *   (https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection)
 * - scheduled messages (ScheduledEnqueueTimeUtc)
 * - local-only priority (see messagePriority): sessions holding urgent work are served first. Service Bus gives
 *   no order across sessions ("FIFO within a session"), so serving one session before another stays inside its
 *   contract; within a session the order is untouched.
 */
export interface QueueSettings {
  maxDeliveryCount: number;
  lockDurationMs: number;
  duplicateDetectionWindowMs: number;
}

/** DeadLetterErrorDescription Service Bus sets for MaxDeliveryCountExceeded (see abandon). */
const MAX_DELIVERY_COUNT_DESCRIPTION = "Message couldn't be consumed after maximum delivery attempts.";

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  maxDeliveryCount: 10,
  lockDurationMs: 60_000,
  duplicateDetectionWindowMs: 10 * 60_000,
};

/**
 * The local-only priority channel: the application property `priority` ("urgent", or a number 0-9). Azure
 * Service Bus has no message priority; there the app routes urgent events to a separate queue (the priority
 * queue pattern, https://learn.microsoft.com/azure/architecture/patterns/priority-queue) and the property is
 * only metadata. Locally a session whose waiting messages include an urgent one is served before the others,
 * from its oldest message on, so the urgent message pulls its person's earlier messages forward in order.
 */
const PRIORITY_PROPERTY = 'priority';

export function messagePriority(applicationProperties: Record<string, unknown> | undefined): number {
  const value = applicationProperties?.[PRIORITY_PROPERTY];
  if (value === 'urgent') return 1;
  if (typeof value === 'number' && Number.isInteger(value)) return Math.min(9, Math.max(0, value));
  return 0;
}

export interface StoredMessage {
  sequenceNumber: number;
  queue: string;
  messageId: string;
  sessionId: string | null;
  body: string;
  contentType: string | null;
  applicationProperties: Record<string, unknown>;
  enqueuedTime: string;
  deliveryCount: number;
  lockToken: string | null;
  deadLetterReason: string | null;
  deadLetterErrorDescription: string | null;
}

export interface SendRequest {
  messageId?: string;
  sessionId?: string | null;
  body: unknown;
  contentType?: string;
  applicationProperties?: Record<string, unknown>;
  scheduledEnqueueTime?: string;
}

/** A message body as the queue stores it: text as it is (text/plain unless declared), anything else as its JSON. */
export function storedBody(m: SendRequest): { body: string; contentType: string } {
  return typeof m.body === 'string'
    ? { body: m.body, contentType: m.contentType ?? 'text/plain' }
    : { body: JSON.stringify(m.body), contentType: m.contentType ?? 'application/json' };
}

type SendGroup = { queue: string; messages: SendRequest[] };

export interface SendResult {
  sequenceNumber: number | null;
  duplicate: boolean;
}

interface Row {
  seq: number;
  queue: string;
  message_id: string;
  session_id: string | null;
  body: string;
  content_type: string | null;
  props: string;
  enqueued_at: number;
  visible_at: number;
  delivery_count: number;
  lock_token: string | null;
  locked_until: number | null;
  state: string;
  dl_reason: string | null;
  dl_description: string | null;
}

function toMessage(row: Row): StoredMessage {
  return {
    sequenceNumber: row.seq,
    queue: row.queue,
    messageId: row.message_id,
    sessionId: row.session_id,
    body: row.body,
    contentType: row.content_type,
    applicationProperties: JSON.parse(row.props) as Record<string, unknown>,
    enqueuedTime: new Date(row.enqueued_at).toISOString(),
    deliveryCount: row.delivery_count,
    lockToken: row.lock_token,
    deadLetterReason: row.dl_reason,
    deadLetterErrorDescription: row.dl_description,
  };
}

/** How long a write waits for another connection's lock before SQLITE_BUSY (better-sqlite3's default: 5 s). */
export interface SqliteOptions {
  busyTimeoutMs?: number;
}

/** Tests shorten the wait, so a locked file's SQLITE_BUSY comes in milliseconds, not seconds. */
function setBusyTimeout(db: Database.Database, { busyTimeoutMs }: SqliteOptions): void {
  if (busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
}

export class QueueStore {
  private readonly db: Database.Database;
  /** Built once: better-sqlite3's transaction() makes four wrappers per call, and sends come on every tick. */
  private readonly sendTransaction: (groups: SendGroup[], now: number) => SendResult[][];

  constructor(
    file: string,
    private readonly settings: QueueSettings = DEFAULT_QUEUE_SETTINGS,
    private readonly now: () => number = Date.now,
    options: SqliteOptions = {},
  ) {
    this.db = openDatabase(
      file,
      `
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, message_id TEXT NOT NULL, session_id TEXT,
        body TEXT NOT NULL, content_type TEXT, props TEXT NOT NULL DEFAULT '{}',
        enqueued_at INTEGER NOT NULL, visible_at INTEGER NOT NULL,
        delivery_count INTEGER NOT NULL DEFAULT 0, lock_token TEXT, locked_until INTEGER,
        state TEXT NOT NULL DEFAULT 'active',
        dl_reason TEXT, dl_description TEXT);
      CREATE INDEX IF NOT EXISTS messages_ready ON messages(queue, state, visible_at, seq);
      CREATE INDEX IF NOT EXISTS messages_session ON messages(queue, session_id, state, seq);
      CREATE INDEX IF NOT EXISTS messages_lock ON messages(lock_token) WHERE lock_token IS NOT NULL;
      CREATE INDEX IF NOT EXISTS messages_fifo ON messages(queue, state, seq);
      CREATE TABLE IF NOT EXISTS dedup (
        queue TEXT NOT NULL, message_id TEXT NOT NULL, seen_at INTEGER NOT NULL, PRIMARY KEY (queue, message_id));
      CREATE TABLE IF NOT EXISTS session_locks (
        queue TEXT NOT NULL, session_id TEXT NOT NULL, owner TEXT NOT NULL, locked_until INTEGER NOT NULL,
        PRIMARY KEY (queue, session_id));
    `,
      { backgroundCheckpoints: true },
    );
    // Files written before priorities existed get the column (0: normal) and its index.
    const columns = this.db.prepare(`PRAGMA table_info(messages)`).all() as { name: string }[];
    if (!columns.some((c) => c.name === 'priority'))
      this.db.exec(`ALTER TABLE messages ADD COLUMN priority INTEGER NOT NULL DEFAULT 0`);
    // In the order receive reads it (priority DESC, seq), so serving urgent work never sorts (issue 16).
    this.db.exec(
      `DROP INDEX IF EXISTS messages_priority;
       CREATE INDEX IF NOT EXISTS messages_priority_order ON messages(queue, state, priority DESC, seq)
         WHERE priority > 0`,
    );
    setBusyTimeout(this.db, options);
    this.sendTransaction = this.db.transaction((groups: SendGroup[], now: number) =>
      groups.map(({ queue, messages }) => messages.map((m) => this.insert(queue, m, now))),
    );
  }

  /** Stores messages atomically; duplicates inside the detection window are accepted and dropped. */
  send(queue: string, messages: SendRequest[]): SendResult[] {
    return this.sendGroups([{ queue, messages }])[0]!;
  }

  /**
   * Several senders' messages in one transaction (one commit instead of one per request: the intake's
   * throughput under load). Each group's results in the order given.
   */
  sendGroups(groups: SendGroup[]): SendResult[][] {
    return this.sendTransaction(groups, this.now());
  }

  private insert(queue: string, m: SendRequest, now: number): SendResult {
    const messageId = m.messageId ?? randomUUID();
    // One statement: a new id is recorded, an id last seen outside the window is seen again now, and an id seen
    // inside it changes nothing (0 rows changed: a duplicate, accepted and dropped).
    const recorded = this.db
      .prepare(
        `INSERT INTO dedup (queue, message_id, seen_at) VALUES (?, ?, ?)
         ON CONFLICT (queue, message_id) DO UPDATE SET seen_at = excluded.seen_at
         WHERE excluded.seen_at - dedup.seen_at >= ?`,
      )
      .run(queue, messageId, now, this.settings.duplicateDetectionWindowMs);
    if (recorded.changes === 0) return { sequenceNumber: null, duplicate: true };
    const visibleAt = m.scheduledEnqueueTime ? Math.max(now, Date.parse(m.scheduledEnqueueTime)) : now;
    const { body, contentType } = storedBody(m);
    const info = this.db
      .prepare(
        `INSERT INTO messages (
           queue, message_id, session_id, body, content_type, props, enqueued_at, visible_at, priority)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        queue,
        messageId,
        m.sessionId ?? null,
        body,
        contentType,
        JSON.stringify(m.applicationProperties ?? {}),
        now,
        visibleAt,
        messagePriority(m.applicationProperties),
      );
    return { sequenceNumber: Number(info.lastInsertRowid), duplicate: false };
  }

  /**
   * Locks the next available message. With sessions, only messages of sessions this owner holds (or can
   * acquire) are returned, the oldest first within each session, so one session is never processed twice
   * at once and its order is kept.
   */
  receive(queue: string, owner: string, sessions: boolean): StoredMessage | null {
    const now = this.now();
    return this.db.transaction(() => {
      // Expired message locks: available again (delivery count was already incremented on receive).
      this.db
        .prepare(
          `UPDATE messages SET state = 'active', lock_token = NULL, locked_until = NULL
           WHERE queue = ? AND state = 'locked' AND locked_until <= ?`,
        )
        .run(queue, now);
      this.db.prepare(`DELETE FROM session_locks WHERE queue = ? AND locked_until <= ?`).run(queue, now);
      let row: Row | undefined;
      // `+visible_at`: walk the FIFO index (queue, state, seq) and stop at the first visible message; an index
      // range on visible_at would sort the whole backlog on every receive (O(n) per message, issue 16).
      if (!sessions) {
        row = (this.db
          .prepare(
            `SELECT * FROM messages WHERE queue = ? AND state = 'active' AND +visible_at <= ? AND priority > 0
             ORDER BY priority DESC, seq LIMIT 1`,
          )
          .get(queue, now) ??
          this.db
            .prepare(
              `SELECT * FROM messages WHERE queue = ? AND state = 'active' AND +visible_at <= ? ORDER BY seq LIMIT 1`,
            )
            .get(queue, now)) as Row | undefined;
      } else {
        row = this.urgentSessionHead(queue, owner, now);
        // The head of each session must be the oldest non-settled message of that session.
        row ??= this.db
          .prepare(
            `SELECT m.* FROM messages m
             WHERE m.queue = ? AND m.state = 'active' AND +m.visible_at <= ? AND m.session_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM messages o
                 WHERE o.queue = m.queue AND o.session_id = m.session_id AND o.seq < m.seq
                   AND o.state IN ('active','locked') AND o.visible_at <= ?)
               AND NOT EXISTS (SELECT 1 FROM session_locks l
                 WHERE l.queue = m.queue AND l.session_id = m.session_id AND l.owner != ?)
               AND NOT EXISTS (SELECT 1 FROM messages k
                 WHERE k.queue = m.queue AND k.session_id = m.session_id AND k.state = 'locked')
             ORDER BY m.seq LIMIT 1`,
          )
          .get(queue, now, now, owner) as Row | undefined;
        if (row) {
          this.db
            .prepare(
              `INSERT OR REPLACE INTO session_locks (queue, session_id, owner, locked_until) VALUES (?, ?, ?, ?)`,
            )
            .run(queue, row.session_id, owner, now + this.settings.lockDurationMs);
        }
      }
      if (!row) return null;
      const lockToken = randomUUID();
      this.db
        .prepare(
          `UPDATE messages SET state = 'locked', lock_token = ?, locked_until = ?, delivery_count = delivery_count + 1
           WHERE seq = ?`,
        )
        .run(lockToken, now + this.settings.lockDurationMs, row.seq);
      return toMessage({ ...row, lock_token: lockToken, delivery_count: row.delivery_count + 1 });
    })();
  }

  /** Whether an urgent message (see messagePriority) is waiting that a receiver could take now. */
  hasUrgentWaiting(queue: string): boolean {
    const now = this.now();
    return !!this.db
      .prepare(
        `SELECT 1 FROM messages m
         WHERE m.queue = ? AND m.state = 'active' AND m.priority > 0 AND +m.visible_at <= ?
           AND (m.session_id IS NULL OR NOT EXISTS (SELECT 1 FROM session_locks l
             WHERE l.queue = m.queue AND l.session_id = m.session_id AND l.locked_until > ?))
         LIMIT 1`,
      )
      .get(queue, now, now);
  }

  /**
   * The head (oldest waiting message) of the first session that holds urgent work and that this owner may
   * take: urgent sessions go first, but a session's own order never changes.
   */
  private urgentSessionHead(queue: string, owner: string, now: number): Row | undefined {
    const urgent = this.db
      .prepare(
        `SELECT session_id FROM messages
         WHERE queue = ? AND state = 'active' AND priority > 0 AND +visible_at <= ? AND session_id IS NOT NULL
         ORDER BY priority DESC, seq LIMIT 32`,
      )
      .all(queue, now) as { session_id: string }[];
    for (const sessionId of new Set(urgent.map((u) => u.session_id))) {
      const lockedByOther = this.db
        .prepare(`SELECT 1 FROM session_locks WHERE queue = ? AND session_id = ? AND owner != ?`)
        .get(queue, sessionId, owner);
      if (lockedByOther) continue;
      const head = this.db
        .prepare(
          `SELECT * FROM messages WHERE queue = ? AND session_id = ?
             AND (state = 'locked' OR (state = 'active' AND visible_at <= ?))
           ORDER BY seq LIMIT 1`,
        )
        .get(queue, sessionId, now) as Row | undefined;
      const inFlight = this.db
        .prepare(`SELECT 1 FROM messages WHERE queue = ? AND session_id = ? AND state = 'locked'`)
        .get(queue, sessionId);
      if (head && head.state === 'active' && !inFlight) return head;
    }
    return undefined;
  }

  renewLock(lockToken: string): boolean {
    const until = this.now() + this.settings.lockDurationMs;
    const row = this.db
      .prepare(`SELECT queue, session_id FROM messages WHERE lock_token = ? AND state = 'locked'`)
      .get(lockToken) as { queue: string; session_id: string | null } | undefined;
    if (!row) return false;
    this.db.prepare(`UPDATE messages SET locked_until = ? WHERE lock_token = ?`).run(until, lockToken);
    if (row.session_id)
      this.db
        .prepare(`UPDATE session_locks SET locked_until = ? WHERE queue = ? AND session_id = ?`)
        .run(until, row.queue, row.session_id);
    return true;
  }

  complete(lockToken: string): boolean {
    return (
      this.db
        .prepare(`UPDATE messages SET state = 'completed', lock_token = NULL WHERE lock_token = ? AND state = 'locked'`)
        .run(lockToken).changes > 0
    );
  }

  /**
   * Abandon: available again; past the max delivery count the message is dead-lettered with the reason and
   * description Service Bus itself sets. An abandon carries no error, so neither does the dead letter: the
   * processor's error is known only where the processor records it
   * (https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues, "Maximum delivery
   * count": MaxDeliveryCountExceeded, "Message couldn't be consumed after maximum delivery attempts.").
   */
  abandon(lockToken: string): 'redeliver' | 'dead-lettered' | 'lost-lock' {
    const row = this.db.prepare(`SELECT * FROM messages WHERE lock_token = ? AND state = 'locked'`).get(lockToken) as
      Row | undefined;
    if (!row) return 'lost-lock';
    if (row.delivery_count >= this.settings.maxDeliveryCount) {
      this.deadLetter(lockToken, 'MaxDeliveryCountExceeded', MAX_DELIVERY_COUNT_DESCRIPTION);
      return 'dead-lettered';
    }
    this.db
      .prepare(`UPDATE messages SET state = 'active', lock_token = NULL, locked_until = NULL WHERE seq = ?`)
      .run(row.seq);
    return 'redeliver';
  }

  deadLetter(lockToken: string, reason: string, description: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE messages
           SET state = 'deadlettered', lock_token = NULL, locked_until = NULL, dl_reason = ?, dl_description = ?
           WHERE lock_token = ? AND state = 'locked'`,
        )
        .run(reason, description.slice(0, 4096), lockToken).changes > 0
    );
  }

  /** Releases a session held by `owner` once it has no message in flight. */
  releaseSession(queue: string, sessionId: string, owner: string): void {
    this.db
      .prepare(`DELETE FROM session_locks WHERE queue = ? AND session_id = ? AND owner = ?`)
      .run(queue, sessionId, owner);
  }

  deadLetters(queue: string): StoredMessage[] {
    return (
      this.db
        .prepare(`SELECT * FROM messages WHERE queue = ? AND state = 'deadlettered' ORDER BY seq`)
        .all(queue) as Row[]
    ).map(toMessage);
  }

  getDeadLetter(queue: string, sequenceNumber: number): StoredMessage | null {
    const row = this.db
      .prepare(`SELECT * FROM messages WHERE queue = ? AND seq = ? AND state = 'deadlettered'`)
      .get(queue, sequenceNumber) as Row | undefined;
    return row ? toMessage(row) : null;
  }

  /** Replay: a copy goes back to the queue (new message id so duplicate detection lets it through). */
  replayDeadLetter(queue: string, sequenceNumber: number): number | null {
    return this.db.transaction(() => {
      const message = this.getDeadLetter(queue, sequenceNumber);
      if (!message) return null;
      const [result] = this.send(queue, [
        {
          messageId: `${message.messageId}:replay:${randomUUID().slice(0, 8)}`,
          sessionId: message.sessionId,
          body: message.body,
          contentType: message.contentType ?? undefined,
          applicationProperties: { ...message.applicationProperties, replayOf: message.messageId },
        },
      ]);
      this.db.prepare(`UPDATE messages SET state = 'replayed' WHERE seq = ?`).run(sequenceNumber);
      return result?.sequenceNumber ?? null;
    })();
  }

  discardDeadLetter(queue: string, sequenceNumber: number): boolean {
    return (
      this.db
        .prepare(`UPDATE messages SET state = 'discarded' WHERE queue = ? AND seq = ? AND state = 'deadlettered'`)
        .run(queue, sequenceNumber).changes > 0
    );
  }

  counts(queue: string): Record<string, number> {
    const rows = this.db
      .prepare(`SELECT state, COUNT(*) AS n FROM messages WHERE queue = ? GROUP BY state`)
      .all(queue) as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Earliest instant a scheduled or locked message may become available (for the poller's sleep). */
  nextVisibleAt(queue: string): number | null {
    const row = this.db
      .prepare(`SELECT MIN(visible_at) AS t FROM messages WHERE queue = ? AND state = 'active'`)
      .get(queue) as { t: number | null };
    return row.t;
  }

  close(): void {
    this.db.close();
  }
}
