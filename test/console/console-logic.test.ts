import { describe, expect, it } from 'vitest';
import { diffRows } from '../../console/src/lib/diff';
import { ACTIVE_WINDOW_MS, runInProgress } from '../../console/src/lib/run-activity';
import { href, parseRoute } from '../../console/src/routes';

describe('console: before/after diff of an audit record', () => {
  it('lists only the values that changed, nested by dotted path', () => {
    const before = { department: 'Sales', jobTitle: 'Rep', address: { city: 'Lyon', country: 'FR' } };
    const after = { department: 'Engineering', jobTitle: 'Rep', address: { city: 'Paris', country: 'FR' } };
    expect(diffRows(before, after)).toEqual([
      { path: 'address.city', before: 'Lyon', after: 'Paris' },
      { path: 'department', before: 'Sales', after: 'Engineering' },
    ]);
  });

  it('shows a created object field by field, and a list as a whole', () => {
    expect(diffRows(null, { userPrincipalName: 'ada@contoso.com', groups: ['a', 'b'] })).toEqual([
      { path: 'groups', before: '—', after: '["a","b"]' },
      { path: 'userPrincipalName', before: '—', after: 'ada@contoso.com' },
    ]);
  });

  it('has nothing to show when nothing changed', () => {
    expect(diffRows({ a: 1 }, { a: 1 })).toEqual([]);
    expect(diffRows(null, null)).toEqual([]);
  });
});

describe('console: hash routes', () => {
  it('reads each page from the fragment', () => {
    expect(parseRoute('')).toEqual({ page: 'people', query: '' });
    expect(parseRoute('#/people?q=Ada%20L')).toEqual({ page: 'people', query: 'Ada L' });
    expect(parseRoute(href.person('E/1 0'))).toEqual({ page: 'person', employeeId: 'E/1 0' });
    expect(parseRoute(href.runs('failed'))).toEqual({ page: 'runs', status: 'failed' });
    expect(parseRoute('#/dead-letters')).toEqual({ page: 'dead-letters' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'people', query: '' });
  });
});

describe('console: when the person page follows a run', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');
  const times = { openedAt: now - 1000, lastActionAt: 0 };
  const found = { lifecycle: 'found' as const, runtimeStatus: 'Running', newestAt: null };

  it('polls after an action, while steps land, and while a new person is on the way', () => {
    expect(runInProgress(found, { openedAt: 0, lastActionAt: now - 5000 }, now)).toBe(true);
    expect(runInProgress({ ...found, newestAt: new Date(now - 10_000).toISOString() }, times, now)).toBe(true);
    expect(runInProgress({ ...found, lifecycle: 'missing' }, times, now)).toBe(true);
    expect(runInProgress({ ...found, runtimeStatus: 'Pending' }, times, now)).toBe(true);
  });

  it('stops when nothing happened lately, and gives up on an unknown person', () => {
    const old = new Date(now - ACTIVE_WINDOW_MS - 1).toISOString();
    expect(runInProgress({ ...found, newestAt: old }, times, now)).toBe(false);
    expect(
      runInProgress({ ...found, lifecycle: 'missing' }, { openedAt: now - ACTIVE_WINDOW_MS, lastActionAt: 0 }, now),
    ).toBe(false);
    expect(runInProgress(null, times, now)).toBe(false);
  });
});
