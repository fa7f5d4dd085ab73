import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelationsBatcher, type RelationsBatchItem } from '../../shared/adapters/graph/relations-batcher';
import { WriteBudget } from '../../shared/adapters/graph/write-budget';

/**
 * Issue 16 item 1/6: under Graph's real write budget a joiner cost 2.70 writes, because on a busy host bulk hires
 * reach the batcher a few hundred ms apart and a 100 ms burst gap sent each group add alone. Under pressure any
 * arrival within the window counts as company; while Graph throttles a group chunk waits up to 3 s to fill.
 * Fake clock: arrivals 300 ms apart, as measured on the loaded 2-core machine.
 */
const ok = (items: RelationsBatchItem[]) => new Map(items.map((i) => [i.id, { status: 204, body: null, headers: {} }]));

function patchSizes(sent: RelationsBatchItem[][]): number[] {
  return sent
    .flat()
    .filter((i) => i.method === 'PATCH')
    .map((i) => (i.body as { 'members@odata.bind': string[] })['members@odata.bind'].length);
}

async function hiresEvery300ms(
  budget: WriteBudget,
  count: number,
  othersWorking?: () => boolean,
  windowMs = 1_000,
): Promise<number[]> {
  const sent: RelationsBatchItem[][] = [];
  const batcher = new RelationsBatcher(async (items) => (sent.push(items), ok(items)), {
    windowMs,
    budget,
    othersWorking,
  });
  const done: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    done.push(batcher.applyRelations(`u${i}`, { addGroupIds: ['g1'] }));
    await vi.advanceTimersByTimeAsync(300);
  }
  await vi.advanceTimersByTimeAsync(10_000);
  await Promise.all(done);
  return patchSizes(sent);
}

describe('RelationsBatcher packs hires that arrive a few hundred ms apart while the write budget is pressed', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('far from the budget: each hire goes at once, alone', async () => {
    expect(await hiresEvery300ms(new WriteBudget(), 4)).toEqual([1, 1, 1, 1]);
  });

  it('under pressure (a twentieth of the budget spent): the hires of one window share a PATCH', async () => {
    const budget = new WriteBudget();
    budget.record(400);
    // The first caller finds a quiet line and goes at once; the next four arrive within its window.
    expect(await hiresEvery300ms(budget, 5)).toEqual([1, 4]);
  });

  it('under pressure, a caller alone on a quiet adapter (a sequential run) goes at once', async () => {
    const budget = new WriteBudget();
    budget.record(400);
    expect(await hiresEvery300ms(budget, 5, () => false)).toEqual([1, 1, 1, 1, 1]);
    // Other Graph work in flight: company can come, the hires of one window share a PATCH again.
    expect(await hiresEvery300ms(budget, 5, () => true)).toEqual([1, 4]);
  });

  it('near the limit, a chunk waits its window for company even on a quiet adapter', async () => {
    const budget = new WriteBudget();
    budget.record(1_600);
    expect(await hiresEvery300ms(budget, 9, () => false)).toEqual([1, 4, 4]);
  });

  it('while Graph throttles (a 429 in the last 150 s), a chunk waits up to 3 s to fill', async () => {
    const budget = new WriteBudget();
    budget.noteThrottled();
    // Six windows of 400 ms: the eight hires after the first share one PATCH.
    expect(await hiresEvery300ms(budget, 9, undefined, 400)).toEqual([1, 8]);
    // Six windows of 1 s would be 6 s: 3 s at most, ten hires, then the next chunk.
    expect(await hiresEvery300ms(budget, 16)).toEqual([1, 10, 5]);
  });
});
