import { createHash, randomUUID } from 'node:crypto';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { odata, TableClient } from '@azure/data-tables';
import {
  InvalidContinuationToken,
  type AuditIntentKey,
  type AuditLog,
  type AuditPage,
  type AuditQuery,
  type AuditRecord,
} from '../../ports/audit-log';
import { joinText, MAX_TEXT_CHARS, splitText } from '../table-storage/long-text';
import { statusOf } from '../table-storage/rest-status';
import { redactSecrets } from './redact';

const APPEND_CONCURRENCY = 8;

/**
 * The record as stored: over 64 KiB it spreads over several properties (long-text.ts); past what one entity
 * holds, the bulky before/after states are replaced by their size, so the record is still written.
 */
function storable(record: AuditRecord): string {
  const json = JSON.stringify(record);
  if (json.length <= MAX_TEXT_CHARS) return json;
  const summary = (state: unknown) => ({ truncated: true, chars: JSON.stringify(state ?? null).length });
  return JSON.stringify({
    ...record,
    reason: record.reason === null ? null : record.reason.slice(0, 4096),
    before: summary(record.before),
    after: summary(record.after),
  } satisfies AuditRecord);
}

/**
 * The audit trail in Azure Table Storage (the cloud counterpart of SqliteAuditLog). PartitionKey = employee
 * id (or "-" for records about no one), RowKey = ISO time + random suffix so a person's rows sort by time;
 * the record itself is JSON in `record` (and `record_1`... when long). Rows are only ever added
 * (createEntity), never updated. https://learn.microsoft.com/azure/storage/tables/table-storage-design-guidelines
 */
export class TableStorageAuditLog implements AuditLog {
  constructor(private readonly table: TableClient) {}

  static fromEndpoint(endpoint: string, tableName: string, clientId?: string): TableStorageAuditLog {
    const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
    return new TableStorageAuditLog(new TableClient(endpoint, tableName, credential));
  }

  async append(records: AuditRecord[], options: { closes?: AuditIntentKey } = {}): Promise<void> {
    const { closes } = options;
    const [only] = records;
    // The row that closes an intent and the intent's deletion go in one entity group transaction: the intent lives
    // in the person's partition, as the row does (https://learn.microsoft.com/rest/api/storageservices/
    // performing-entity-group-transactions).
    if (closes && only && records.length === 1 && (only.employeeId ?? '-') === (closes.employeeId ?? '-')) {
      const entity = rowEntity(only);
      try {
        await this.table.submitTransaction([
          ['create', entity],
          ['delete', intentKeys(closes)],
        ]);
        return;
      } catch (error) {
        // The intent is gone (a concurrent attempt closed it): nothing was written, the row still is.
        if (statusOf(error) !== 404) throw error;
        await this.table.createEntity(entity);
        return;
      }
    }
    // Rows are independent (each has its own key), so a long batch is written a few at a time.
    let next = 0;
    const writer = async () => {
      while (next < records.length) await this.table.createEntity(rowEntity(records[next++]!));
    };
    await Promise.all(Array.from({ length: Math.min(APPEND_CONCURRENCY, records.length) }, writer));
    if (closes) {
      const intent = intentKeys(closes);
      await this.table.deleteEntity(intent.partitionKey, intent.rowKey).catch(ignoreNotFound);
    }
  }

  /** createEntity answers 409 EntityAlreadyExists when an earlier attempt's intent is there: that one is read. */
  async intend(key: AuditIntentKey, record: AuditRecord): Promise<AuditRecord | null> {
    const safe = redactSecrets(record) as AuditRecord;
    try {
      await this.table.createEntity({ ...intentKeys(key), ...splitText('record', storable(safe)) });
      return null;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      return this.openIntent(key);
    }
  }

  async openIntents(employeeId: string): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${employeeId} and RowKey ge ${INTENT_PREFIX}` },
    }))
      out.push(JSON.parse(joinText('record', entity)) as AuditRecord);
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  async openIntent(key: AuditIntentKey): Promise<AuditRecord | null> {
    const { partitionKey, rowKey } = intentKeys(key);
    try {
      return JSON.parse(joinText('record', await this.table.getEntity(partitionKey, rowKey))) as AuditRecord;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /**
   * Pages in table order (PartitionKey = person, RowKey = time): the token is the last row's keys, and the
   * next page starts after them (keys are unique, so nothing is skipped or repeated).
   */
  async page(query: AuditQuery & { continuationToken?: string }): Promise<AuditPage> {
    const after = query.continuationToken ? decodeToken(query.continuationToken) : null;
    const limit = query.limit ?? 1000;
    const out: { pk: string; rk: string; record: AuditRecord }[] = [];
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: this.filter(query) },
    })) {
      const pk = String(entity.partitionKey);
      const rk = String(entity.rowKey);
      if (after && (pk < after.pk || (pk === after.pk && rk <= after.rk))) continue;
      out.push({ pk, rk, record: JSON.parse(joinText('record', entity)) as AuditRecord });
      if (out.length > limit) break;
    }
    const more = out.length > limit;
    const page = out.slice(0, limit);
    const last = page.at(-1);
    return {
      records: page.map((p) => p.record),
      continuationToken:
        more && last ? Buffer.from(JSON.stringify({ pk: last.pk, rk: last.rk })).toString('base64url') : null,
    };
  }

  private filter(query: AuditQuery): string | undefined {
    const filters: string[] = [ROWS_ONLY];
    if (query.employeeId) filters.push(odata`PartitionKey eq ${query.employeeId}`);
    if (query.target) filters.push(odata`target eq ${query.target}`);
    if (query.from) filters.push(odata`at ge ${query.from}`);
    if (query.to) filters.push(odata`at le ${query.to}`);
    return filters.join(' and ') || undefined;
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    const limit = query.limit ?? 1000;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: this.filter(query) },
    })) {
      out.push(JSON.parse(joinText('record', entity)) as AuditRecord);
      if (out.length >= limit) break;
    }
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }
}

function rowEntity(record: AuditRecord) {
  const safe = redactSecrets(record) as AuditRecord;
  return {
    partitionKey: safe.employeeId ?? '-',
    rowKey: `${safe.at}_${randomUUID().slice(0, 8)}`,
    target: safe.target,
    at: safe.at,
    ...splitText('record', storable(safe)),
  };
}

/**
 * Intents share the person's partition with the rows, under RowKeys that sort after every row's (`~` is after the
 * digits an ISO time starts with); the step key is hashed, since a RowKey may not hold `/`, `\\`, `#` or `?`
 * (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model).
 */
const INTENT_PREFIX = '~intent_';
const ROWS_ONLY = odata`RowKey lt ${INTENT_PREFIX}`;

function intentKeys(key: AuditIntentKey): { partitionKey: string; rowKey: string } {
  return {
    partitionKey: key.employeeId ?? '-',
    rowKey: `${INTENT_PREFIX}${createHash('sha256').update(key.key).digest('hex')}`,
  };
}

function ignoreNotFound(error: unknown): void {
  if (statusOf(error) !== 404) throw error;
}

function decodeToken(token: string): { pk: string; rk: string } {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { pk?: unknown; rk?: unknown };
    if (typeof value.pk === 'string' && typeof value.rk === 'string') return { pk: value.pk, rk: value.rk };
  } catch {
    /* not ours */
  }
  throw new InvalidContinuationToken();
}
