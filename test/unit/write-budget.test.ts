import { describe, expect, it, vi } from 'vitest';
import { RelationsBatcher, type RelationsBatchItem } from '../../shared/adapters/graph/relations-batcher';
import { WriteBudget } from '../../shared/adapters/graph/write-budget';

const ok = (items: RelationsBatchItem[]) => new Map(items.map((i) => [i.id, { status: 204, body: null, headers: {} }]));

describe('WriteBudget (Graph: about 3,000 writes per 150 s per app and tenant)', () => {
  const t0 = 1_800_000_000_000;

  it('counts the writes of the last 150 s only', () => {
    const budget = new WriteBudget();
    budget.record(500, t0);
    budget.record(300, t0 + 100_000);
    expect(budget.used(t0 + 149_000)).toBe(800);
    expect(budget.used(t0 + 150_000)).toBe(300);
    expect(budget.used(t0 + 250_000)).toBe(0);
    expect(budget.used(t0 + 10_000_000)).toBe(0);
  });

  it('is under pressure from a twentieth of the budget, or for 150 s after Graph throttled', () => {
    const budget = new WriteBudget();
    budget.record(149, t0);
    expect(budget.underPressure(t0)).toBe(false);
    budget.record(1, t0 + 1);
    expect(budget.underPressure(t0 + 1)).toBe(true);
    const throttled = new WriteBudget();
    throttled.noteThrottled(t0);
    expect(throttled.underPressure(t0 + 149_999)).toBe(true);
    expect(throttled.throttled(t0 + 149_999)).toBe(true);
    expect(throttled.underPressure(t0 + 150_000)).toBe(false);
    expect(throttled.throttled(t0 + 150_000)).toBe(false);
    expect(budget.throttled(t0 + 1)).toBe(false);
  });
});

describe('RelationsBatcher waits for company only under pressure (issue 16 item 6)', () => {
  it('sends each hire at once while the budget is far from spent', async () => {
    // Fake clock: a caller that waited for the 10 s window would never be answered, since the clock stands still.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      let batches = 0;
      const batcher = new RelationsBatcher(async (items) => (batches++, ok(items)), {
        windowMs: 10_000,
        budget: new WriteBudget(),
      });
      for (let i = 0; i < 3; i++) await batcher.applyRelations(`u${i}`, { addGroupIds: ['g1', 'g2'] });
      expect(batches).toBe(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes a burst wait for its window while Graph throttles', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    try {
      const budget = new WriteBudget();
      budget.noteThrottled();
      let batches = 0;
      const batcher = new RelationsBatcher(async (items) => (batches++, ok(items)), { windowMs: 10_000, budget });
      await batcher.applyRelations('u0', { addGroupIds: ['g1'] });
      let answered = false;
      const second = batcher.applyRelations('u1', { addGroupIds: ['g1'] }).then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(9_000);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      await second;
      expect(batches).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('packs a burst while the budget is under pressure', async () => {
    const budget = new WriteBudget();
    budget.noteThrottled();
    let batches = 0;
    const batcher = new RelationsBatcher(async (items) => (batches++, ok(items)), { windowMs: 300, budget });
    // The first caller goes at once (quiet line); the next ones arrive in a burst and share one $batch.
    await batcher.applyRelations('u0', { addGroupIds: ['g1'] });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => batcher.applyRelations(`u${i + 1}`, { addGroupIds: ['g1'] })),
    );
    expect(batches).toBe(2);
  });
});
