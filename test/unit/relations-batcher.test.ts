import { afterEach, describe, expect, it, vi } from 'vitest';
import { RelationsBatcher, type RelationsBatchItem } from '../../shared/adapters/graph/relations-batcher';

type Sent = RelationsBatchItem[];
const ok = (items: Sent) => new Map(items.map((i) => [i.id, { status: 204, body: null, headers: {} }]));

describe('RelationsBatcher', () => {
  it('never sends more than 20 items per $batch or 20 members per PATCH', async () => {
    const sent: Sent[] = [];
    // A window long enough that a loaded machine still enqueues all 45 callers inside it.
    const batcher = new RelationsBatcher(async (items) => (sent.push(items), ok(items)), {
      windowMs: 1_000,
      maxInFlight: 1,
    });
    // A lone first caller goes at once (PATCH + PUT); then 44 users into one group + 29 managers:
    // 3 PATCHes (20, 20, 4) + 29 PUTs = 32 items.
    await Promise.all([
      ...Array.from({ length: 45 }, (_, i) =>
        batcher.applyRelations(`u${i}`, { addGroupIds: ['g1'], managerId: i < 30 ? 'boss' : undefined }),
      ),
    ]);
    expect(sent.every((b) => b.length <= 20)).toBe(true);
    const patches = sent.flat().filter((i) => i.method === 'PATCH');
    const sizes = patches.map((p) => (p.body as { 'members@odata.bind': string[] })['members@odata.bind'].length);
    expect(sizes.every((n) => n <= 20)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(45);
    expect(sizes).toEqual([1, 20, 20, 4]);
    expect(sent.flat().filter((i) => i.method === 'PUT')).toHaveLength(30);
    expect(sent.flat()).toHaveLength(34);
    // Ready items (PUTs, full chunks) go as soon as a round trip is free; only the partial chunk of 4 waits its
    // window, alone: the same 34 writes as when ready items waited for 19 others, one more round trip.
    expect(sent.map((b) => b.length)).toEqual([2, 20, 11, 1]);
  });

  afterEach(() => vi.useRealTimers());

  it('sends a full 20-member chunk at once, without waiting for its window or for 19 other ready items', async () => {
    vi.useFakeTimers();
    const sent: Sent[] = [];
    // No budget: every burst counts as under pressure; a minute-long window shows who waits for it.
    const batcher = new RelationsBatcher(async (items) => (sent.push(items), ok(items)), {
      windowMs: 60_000,
      maxInFlight: 1,
    });
    let settled = 0;
    const callers = Array.from({ length: 25 }, (_, i) =>
      batcher.applyRelations(`u${i}`, { addGroupIds: ['g1'] }).then(() => settled++),
    );
    // Only promises settle here, no clock moves: the lone first caller, then a full chunk of the next 20.
    await vi.advanceTimersByTimeAsync(0);
    expect(
      sent.map((b) => b.map((i) => (i.body as { 'members@odata.bind': string[] })['members@odata.bind'].length)),
    ).toEqual([[1], [20]]);
    expect(settled).toBe(21);
    // The 4 left over are a partial chunk: they wait their window for company.
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(callers);
    expect(
      sent.at(-1)!.map((i) => (i.body as { 'members@odata.bind': string[] })['members@odata.bind'].length),
    ).toEqual([4]);
  });

  it('a ready single goes at once without sweeping a group chunk that is still collecting', async () => {
    vi.useFakeTimers();
    const sent: string[][] = [];
    const members = (i: RelationsBatchItem) => (i.body as { 'members@odata.bind': string[] })['members@odata.bind'];
    const describeItem = (i: RelationsBatchItem) =>
      i.method === 'PATCH'
        ? `PATCH ${members(i)
            .map((r) => r.split('/').pop())
            .join(',')}`
        : `${i.method} ${i.url.split('/')[2]}`;
    const batcher = new RelationsBatcher(async (items) => (sent.push(items.map(describeItem)), ok(items)), {
      windowMs: 1_000,
    });
    const done = [batcher.applyRelations('a', { addGroupIds: ['g1'] })]; // a quiet line: at once
    await vi.advanceTimersByTimeAsync(10);
    done.push(batcher.applyRelations('b', { addGroupIds: ['g1'] })); // in a burst: waits its window for company
    await vi.advanceTimersByTimeAsync(590);
    done.push(batcher.applyRelations('c', { managerId: 'boss' })); // ready: at once, alone
    await vi.advanceTimersByTimeAsync(100);
    done.push(batcher.applyRelations('d', { addGroupIds: ['g1'] })); // joins b's chunk
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(done);
    expect(sent).toEqual([['PATCH a'], ['PUT c'], ['PATCH b,d']]);
  });

  it('accumulates while a batch is in flight and sends the rest right after', async () => {
    const sent: Sent[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const batcher = new RelationsBatcher(
      async (items) => {
        sent.push(items);
        if (sent.length === 1) await gate;
        return ok(items);
      },
      { windowMs: 0, maxInFlight: 1 },
    );
    const first = batcher.applyRelations('u0', { addGroupIds: ['g1'] });
    const later = Array.from({ length: 10 }, (_, i) => batcher.applyRelations(`u${i + 1}`, { addGroupIds: ['g1'] }));
    release();
    await Promise.all([first, ...later]);
    expect(sent).toHaveLength(2);
    expect((sent[1]![0]!.body as { 'members@odata.bind': string[] })['members@odata.bind']).toHaveLength(10);
  });

  it('fails every caller of a round trip that failed, and keeps serving the next ones', async () => {
    let calls = 0;
    const batcher = new RelationsBatcher(
      async (items) => {
        if (calls++ === 0) throw new Error('socket hang up');
        return ok(items);
      },
      { windowMs: 0, maxInFlight: 1 },
    );
    await expect(
      Promise.all([
        batcher.applyRelations('a', { addGroupIds: ['g'] }),
        batcher.applyRelations('b', { addGroupIds: ['g'] }),
      ]),
    ).rejects.toThrow('socket hang up');
    await expect(batcher.applyRelations('c', { addGroupIds: ['g'], removeGroupIds: ['h'] })).resolves.toMatchObject({
      failures: [],
    });
  });

  it('tells every caller which $batch requests carried its changes', async () => {
    let n = 0;
    const batcher = new RelationsBatcher(async (items) => Object.assign(ok(items), { requestIds: [`req-${++n}`] }), {
      windowMs: 5,
      maxInFlight: 1,
    });
    const [first, second, third] = await Promise.all([
      batcher.applyRelations('a', { addGroupIds: ['g'] }),
      batcher.applyRelations('b', { addGroupIds: ['g'] }),
      batcher.applyRelations('c', { addGroupIds: ['g'] }),
    ]);
    expect(first.graphRequestIds).toEqual(['req-1']); // a lone first caller goes at once
    expect(second.graphRequestIds).toEqual(['req-2']); // the next two share one PATCH
    expect(third.graphRequestIds).toEqual(['req-2']);
  });

  it('treats not-a-member and no-manager as done, and reports other errors per operation', async () => {
    const batcher = new RelationsBatcher(
      async (items) =>
        new Map(
          items.map((i) => [
            i.id,
            i.method === 'PUT'
              ? {
                  status: 403,
                  body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges' } },
                  headers: {},
                }
              : { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } }, headers: {} },
          ]),
        ),
      { windowMs: 0 },
    );
    expect((await batcher.applyRelations('u', { managerId: null, removeGroupIds: ['g'] })).failures).toEqual([]);
    expect((await batcher.applyRelations('u', { managerId: 'm' })).failures).toEqual([
      expect.objectContaining({ operation: 'setManager', target: 'm', code: 'Authorization_RequestDenied' }),
    ]);
  });
});
