import { describe, expect, it } from 'vitest';
import { whereClause } from '../../shared/adapters/sqlite/where-clause';

describe('whereClause', () => {
  it('joins the set filters and their parameters in order', () => {
    expect(whereClause([['a = ?', 1], undefined, ['substr(id, 1, ?) = ?', 3, 'abc']])).toEqual({
      sql: 'WHERE a = ? AND substr(id, 1, ?) = ?',
      args: [1, 3, 'abc'],
    });
  });
  it('is empty when no filter is set', () => {
    expect(whereClause([undefined, undefined])).toEqual({ sql: '', args: [] });
  });
});
