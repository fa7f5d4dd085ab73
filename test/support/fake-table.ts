import { RestError, type TableClient } from '@azure/data-tables';

/**
 * In-memory TableClient for the subset the adapters use, with Table Storage's rules: rows sorted by
 * PartitionKey then RowKey, 409 on creating an existing row, 404 on reading a missing one, 412 when an
 * update's ETag is stale; filters `a eq|gt|lt 'x'` joined by `and`.
 */
export function fakeTable(): TableClient {
  const rows = new Map<string, Record<string, unknown>>();
  let version = 0;
  const key = (p: unknown, r: unknown) => `${String(p)}\u0000${String(r)}`;
  const fail = (statusCode: number, message: string) => new RestError(message, { statusCode });
  const matches = (row: Record<string, unknown>, filter?: string) =>
    !filter ||
    filter.split(' and ').every((clause) => {
      const m = /^(\w+) (eq|gt|lt) '((?:[^']|'')*)'$/.exec(clause.trim());
      if (!m) throw new Error(`fake table: unsupported filter ${clause}`);
      const field = m[1] === 'PartitionKey' ? 'partitionKey' : m[1] === 'RowKey' ? 'rowKey' : m[1]!;
      const value = m[3]!.replace(/''/g, "'");
      const actual = String(row[field]);
      return m[2] === 'eq' ? row[field] === value : m[2] === 'gt' ? actual > value : actual < value;
    });
  const stamp = (e: Record<string, unknown>) => ({ ...e, etag: `W/"${++version}"` });
  return {
    createEntity: async (e: Record<string, unknown>) => {
      if (rows.has(key(e.partitionKey, e.rowKey))) throw fail(409, 'EntityAlreadyExists');
      rows.set(key(e.partitionKey, e.rowKey), stamp(e));
    },
    getEntity: async (partitionKey: string, rowKey: string) => {
      const row = rows.get(key(partitionKey, rowKey));
      if (!row) throw fail(404, 'ResourceNotFound');
      return { ...row };
    },
    updateEntity: async (e: Record<string, unknown>, _mode?: string, options?: { etag?: string }) => {
      const row = rows.get(key(e.partitionKey, e.rowKey));
      if (!row) throw fail(404, 'ResourceNotFound');
      if (options?.etag && options.etag !== '*' && options.etag !== row.etag)
        throw fail(412, 'UpdateConditionNotSatisfied');
      rows.set(key(e.partitionKey, e.rowKey), stamp({ ...row, ...e }));
    },
    upsertEntity: async (e: Record<string, unknown>, mode?: string) => {
      const row = rows.get(key(e.partitionKey, e.rowKey));
      rows.set(key(e.partitionKey, e.rowKey), stamp(mode === 'Replace' || !row ? e : { ...row, ...e }));
    },
    listEntities: (options: { queryOptions?: { filter?: string } } = {}) =>
      (async function* () {
        const sorted = [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
        for (const row of sorted.filter((r) => matches(r, options.queryOptions?.filter))) yield { ...row };
      })(),
  } as unknown as TableClient;
}
