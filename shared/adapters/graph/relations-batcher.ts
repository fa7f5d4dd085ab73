import type { RelationsResult, UserRelationsChange } from '../../ports/directory';
import { graphErrorFrom, isAlreadyMember, NotFoundError, type GraphRequestError } from './errors';
import type { WriteBudget } from './write-budget';

/**
 * Packs relation changes (manager, group membership) of many concurrent callers into few Graph writes.
 *
 * Graph's write budget (about 3,000 writes per 150 s per app and tenant, throttling-limits
 * #identity-and-access-service-limits) counts every item of a $batch. Adding k people to one group one
 * POST members/$ref at a time costs k writes; one PATCH /groups/{id} with `members@odata.bind` adds up to 20
 * (group-post-members, example 2) for one write. So group additions from all callers wait a short window,
 * are packed per group into PATCHes of ≤ 20 members, and go out with the other relation operations in
 * $batch requests of ≤ 20 items (json-batching). At most `maxInFlight` batches are outstanding: while they
 * run, new work accumulates, so packing improves exactly when Graph is slow or throttling.
 *
 * The PATCH is all-or-nothing: if one member already belongs to the group (400 "One or more added object
 * references already exist") or one reference is unknown (404), the chunk is retried as one POST
 * members/$ref per member so each caller gets its own outcome (already a member counts as success).
 */
export interface RelationsBatchItem {
  id: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}

/** Results by item id; `requestIds`: the client-request-id of each $batch round trip that carried them. */
export type BatchResults = Map<string, { status: number; body: unknown; headers: Record<string, string> }> & {
  requestIds?: string[];
};
export type BatchSender = (items: RelationsBatchItem[]) => Promise<BatchResults>;

export interface RelationsBatcherOptions {
  /** How long the first operation waits for company before a batch goes out (ms). 0: no added wait. */
  windowMs: number;
  /** $batch requests outstanding at once. */
  maxInFlight?: number;
  /** Graph root that `@odata.id` references use. */
  refRoot?: string;
  /**
   * The app's recent Graph writes: callers wait for company only while it is under pressure (issue 16 item 6).
   * Without one, every burst waits (the behaviour the packing tests pin down).
   */
  budget?: WriteBudget;
  /**
   * Whether other Graph work is in flight when a caller arrives (other joiners between their look-up and their
   * relations): company can come. Without it, any caller may get company.
   */
  othersWorking?: () => boolean;
}

type Operation = 'setManager' | 'removeManager' | 'addToGroup' | 'removeFromGroup';
type Failure = RelationsResult['failures'][number];

interface PendingOp {
  operation: Operation;
  userId: string;
  /** Group id, or the manager's id for setManager. */
  target: string;
  /** Name the caller sees in a failure (target, or group:user for bulk adds). */
  reportTarget: string;
  /** A group add that failed inside a PATCH: sent alone so its own result is known. */
  alone: boolean;
  /** When it must go out even if its group chunk is not full. */
  dueAt: number;
  settle: (failure: Failure | null, requestIds?: string[]) => void;
  fail: (error: unknown) => void;
}

const BATCH_LIMIT = 20;
const BIND_LIMIT = 20;
const BURST_GAP_MS = 100;
/** While Graph throttles, a group chunk waits up to six windows to fill, at most 3 s (see enqueue). */
const THROTTLED_WINDOWS = 6;
const THROTTLED_MAX_WAIT_MS = 3_000;

export class RelationsBatcher {
  /** Waiting operations in arrival order. */
  private queue: PendingOp[] = [];
  /** Items that could go now without losing packing: singles + full (20-member) group chunks. */
  private readyItems = 0;
  private queuedPerGroup = new Map<string, number>();
  private earliestDue = Infinity;
  private lastArrivalAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private readonly maxInFlight: number;
  private readonly refRoot: string;

  constructor(
    private readonly send: BatchSender,
    private readonly options: RelationsBatcherOptions,
  ) {
    this.maxInFlight = options.maxInFlight ?? 2;
    this.refRoot = options.refRoot ?? 'https://graph.microsoft.com/v1.0';
  }

  /** One user's relation change; resolves when every part of it has a result. */
  applyRelations(
    userId: string,
    change: UserRelationsChange,
  ): Promise<RelationsResult & { graphRequestIds: string[] }> {
    const parts: { operation: Operation; target: string }[] = [];
    if (change.managerId) parts.push({ operation: 'setManager', target: change.managerId });
    else if (change.managerId === null) parts.push({ operation: 'removeManager', target: userId });
    for (const groupId of new Set(change.addGroupIds ?? [])) parts.push({ operation: 'addToGroup', target: groupId });
    for (const groupId of new Set(change.removeGroupIds ?? []))
      parts.push({ operation: 'removeFromGroup', target: groupId });
    return this.enqueue(parts.map((p) => ({ ...p, userId, reportTarget: p.target })));
  }

  /** Many users into one group (restores, bulk fixes). */
  addGroupMembers(groupId: string, userIds: string[]): Promise<RelationsResult & { graphRequestIds: string[] }> {
    return this.enqueue(
      [...new Set(userIds)].map((userId) => ({
        operation: 'addToGroup' as const,
        target: groupId,
        userId,
        reportTarget: `${groupId}:${userId}`,
      })),
    );
  }

  private enqueue(
    parts: Omit<PendingOp, 'settle' | 'fail' | 'alone' | 'dueAt'>[],
  ): Promise<RelationsResult & { graphRequestIds: string[] }> {
    if (!parts.length) return Promise.resolve({ failures: [], graphRequestIds: [] });
    // Like Nagle's algorithm: a caller on a quiet line goes at once; in a burst (another caller less than
    // 100 ms before, as in bulk onboarding) it waits up to the window for company, but only when company is
    // there (work already queued: concurrent hires) or Graph's write budget is under pressure.
    // Sequential hires far from the budget pay no window; one person's steps a few hundred ms apart (the demo,
    // a single hire) never wait.
    //
    // Under pressure, "a burst" is any arrival within the window of the previous one, not within 100 ms: on a
    // busy host bulk hires reach here a few hundred ms apart, and a 100 ms gap then sent each alone (writes per
    // joiner 2.70 under Graph's real limits, issue 16). Once Graph throttles (its budget sets the pace, ~8
    // joiners/s), a chunk waits up to 3 s to fill: 20 members per group PATCH, 2.25 writes per joiner instead of
    // 3.2 at 500 ms. Not before: a longer wait near the limit held each of 20 hires a second 1 s or more (bench
    // latency: p95 1.1 s at 20/s against 0.7 s with the 500 ms window alone).
    //
    // Under pressure, waiting pays only when company can come: other Graph work in flight, or the budget near its
    // limit (then a chunk may wait for hires not started yet). A caller alone on a quiet adapter is a sequential
    // run: nobody joins it while it waits, so the window is pure latency (bench graph-roundtrips: 276 ms a joiner
    // against 29 ms one call per operation, issue 16 item 6).
    const now = Date.now();
    const { budget, othersWorking } = this.options;
    const budgetPressed = budget
      ? budget.underPressure(now) && (budget.nearLimit(now) || (othersWorking?.() ?? true))
      : true;
    const burstGap = budgetPressed ? this.options.windowMs : Math.min(BURST_GAP_MS, this.options.windowMs);
    const inBurst = now - this.lastArrivalAt < burstGap;
    const pressed = this.queue.length > 0 || budgetPressed;
    const { windowMs } = this.options;
    const window = budget?.throttled(now)
      ? Math.max(windowMs, Math.min(THROTTLED_WINDOWS * windowMs, THROTTLED_MAX_WAIT_MS))
      : windowMs;
    const dueAt = inBurst && pressed ? now + window : now;
    this.lastArrivalAt = now;
    return new Promise((resolve, reject) => {
      const failures: Failure[] = [];
      const graphRequestIds = new Set<string>();
      let open = parts.length;
      let rejected = false;
      for (const part of parts) {
        this.push({
          ...part,
          alone: false,
          dueAt,
          settle: (failure, requestIds) => {
            if (failure) failures.push(failure);
            for (const id of requestIds ?? []) graphRequestIds.add(id);
            if (--open === 0 && !rejected) resolve({ failures, graphRequestIds: [...graphRequestIds] });
          },
          fail: (error) => {
            if (rejected) return;
            rejected = true;
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        });
      }
      this.schedule();
    });
  }

  private push(op: PendingOp, front = false): void {
    if (front) this.queue.unshift(op);
    else this.queue.push(op);
    this.earliestDue = Math.min(this.earliestDue, op.dueAt);
    if (isPackable(op)) {
      const n = (this.queuedPerGroup.get(op.target) ?? 0) + 1;
      this.queuedPerGroup.set(op.target, n);
      if (n % BIND_LIMIT === 0) this.readyItems++;
    } else this.readyItems++;
  }

  /**
   * Sends a batch as soon as one item is ready (a single, or a full 20-member group chunk), or when an operation is
   * due; otherwise arms a timer for the next due time. Called on every arrival and every completed batch.
   *
   * Only a partial group chunk gains by waiting: every $batch item is one write whatever else rides with it, so a
   * ready item that waits saves no write and holds its caller. It did, until 20 were ready: with the host's 64
   * activity slots all holding a caller whose chunks were not full, no more company could come and every round
   * waited the whole window (bench scim-fanout: 64 applyAccess a second, the engine's other work stuck behind them).
   * While `maxInFlight` round trips are out, ready items still accumulate and share the next one.
   */
  private schedule(): void {
    while (
      this.queue.length &&
      this.inFlight < this.maxInFlight &&
      (this.readyItems > 0 || Date.now() >= this.earliestDue)
    )
      this.sendNext();
    if (this.queue.length && this.inFlight < this.maxInFlight && !this.timer) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.schedule();
        },
        Math.max(0, this.earliestDue - Date.now()),
      );
    }
  }

  private sendNext(): void {
    const now = Date.now();
    const requests = this.take(now, now >= this.earliestDue);
    if (!requests.length) return;
    this.inFlight++;
    void this.run(requests).finally(() => {
      this.inFlight--;
      this.schedule();
    });
  }

  /**
   * Takes up to 20 $batch items off the queue, in arrival order: singles, full group chunks, and chunks
   * that are due. A partial chunk that is not due yet stays to collect more members. `dueSend`: the send is
   * made because something is due, and a chunk due within half a window rides along (callers that arrived a
   * millisecond apart share a round trip); a send made for a ready item takes no chunk early, or every manager
   * PUT of a bulk import would sweep the half-filled chunks with it (writes per joiner 2.51 against 2.46).
   */
  private take(now: number, dueSend: boolean): { item: RelationsBatchItem; ops: PendingOp[] }[] {
    const units: { ops: PendingOp[]; packed: boolean }[] = [];
    const openChunk = new Map<string, { ops: PendingOp[]; packed: boolean }>();
    for (const op of this.queue) {
      if (!isPackable(op)) {
        units.push({ ops: [op], packed: false });
        continue;
      }
      const chunk = openChunk.get(op.target);
      if (chunk && chunk.ops.length < BIND_LIMIT && !chunk.ops.some((o) => o.userId === op.userId)) {
        chunk.ops.push(op);
        continue;
      }
      const fresh = { ops: [op], packed: true };
      openChunk.set(op.target, fresh);
      units.push(fresh);
    }
    const chosen: { ops: PendingOp[]; packed: boolean }[] = [];
    const kept: PendingOp[] = [];
    for (const unit of units) {
      const early = dueSend ? this.options.windowMs / 2 : 0;
      const ready = !unit.packed || unit.ops.length >= BIND_LIMIT || unit.ops.some((o) => o.dueAt <= now + early);
      if (ready && chosen.length < BATCH_LIMIT) chosen.push(unit);
      else kept.push(...unit.ops);
    }
    this.queue = [];
    this.readyItems = 0;
    this.queuedPerGroup.clear();
    this.earliestDue = Infinity;
    // Back in arrival order, so the next take packs them the same way.
    kept.sort((a, b) => a.dueAt - b.dueAt);
    for (const op of kept) this.push(op);
    return chosen.map((unit, i) => ({
      ops: unit.ops,
      item: unit.packed
        ? {
            id: String(i),
            method: 'PATCH' as const,
            url: `/groups/${unit.ops[0]!.target}`,
            body: { 'members@odata.bind': unit.ops.map((o) => `${this.refRoot}/directoryObjects/${o.userId}`) },
          }
        : { id: String(i), ...this.single(unit.ops[0]!) },
    }));
  }

  private single(op: PendingOp): Omit<RelationsBatchItem, 'id'> {
    const user = encodeURIComponent(op.userId);
    switch (op.operation) {
      case 'setManager':
        return {
          method: 'PUT',
          url: `/users/${user}/manager/$ref`,
          body: { '@odata.id': `${this.refRoot}/users/${op.target}` },
        };
      case 'removeManager':
        return { method: 'DELETE', url: `/users/${user}/manager/$ref` };
      case 'addToGroup':
        return {
          method: 'POST',
          url: `/groups/${op.target}/members/$ref`,
          body: { '@odata.id': `${this.refRoot}/directoryObjects/${op.userId}` },
        };
      case 'removeFromGroup':
        return { method: 'DELETE', url: `/groups/${op.target}/members/${user}/$ref` };
    }
  }

  private async run(requests: { item: RelationsBatchItem; ops: PendingOp[] }[]): Promise<void> {
    let results: Awaited<ReturnType<BatchSender>>;
    try {
      results = await this.send(requests.map((r) => r.item));
    } catch (error) {
      // The round trip itself failed: every caller in it fails and its activity retries.
      for (const r of requests) for (const op of r.ops) op.fail(error);
      return;
    }
    const retryAlone: PendingOp[] = [];
    for (const { item, ops } of requests) {
      const result = results.get(item.id);
      if (!result) {
        for (const op of ops)
          op.settle(
            {
              operation: op.operation,
              target: op.reportTarget,
              code: 'noResponse',
              message: 'no response for this $batch item',
            },
            results.requestIds,
          );
        continue;
      }
      if (result.status < 300) {
        for (const op of ops) op.settle(null, results.requestIds);
        continue;
      }
      const error = graphErrorFrom(result.status, result.body, result.headers);
      if (item.method === 'PATCH' && (error.status === 400 || error.status === 404) && ops.length > 1) {
        retryAlone.push(...ops);
        continue;
      }
      for (const op of ops)
        op.settle(
          desiredStateReached(op, error)
            ? null
            : { operation: op.operation, target: op.reportTarget, code: error.code, message: error.message },
          results.requestIds,
        );
    }
    // To the front, keeping their due time: they have waited already.
    for (const op of retryAlone.reverse()) {
      op.alone = true;
      this.push(op, true);
    }
  }
}

/** Group additions are packed into members@odata.bind PATCHes unless they already failed in one. */
function isPackable(op: PendingOp): boolean {
  return op.operation === 'addToGroup' && !op.alone;
}

/** Idempotency: already a member / not a member / no manager are the states the caller wanted. */
function desiredStateReached(op: PendingOp, error: GraphRequestError): boolean {
  if (op.operation === 'addToGroup') return isAlreadyMember(error);
  if (op.operation === 'removeFromGroup' || op.operation === 'removeManager') return error instanceof NotFoundError;
  return false;
}
