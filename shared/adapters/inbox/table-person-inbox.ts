import { odata, RestError, type TableClient } from '@azure/data-tables';
import type { InboxEntry, PersonInboxPort } from '../../ports/person-inbox';

/**
 * Person inboxes on Azure Table Storage: partition = employee id; rows `seq:{000000000001}` hold the
 * messages (RowKey order is seq order), `id:{messageId}` remembers a message's seq (redeliveries), and
 * `counter` holds the last seq, advanced with an ETag check so two writers never share a seq. One person's
 * events come from one Service Bus session at a time, so the check almost never has to retry.
 */
const pad = (seq: number) => String(seq).padStart(12, '0');

interface CounterEntity {
  partitionKey: string;
  rowKey: string;
  last: number;
  etag?: string;
}

export class TablePersonInbox implements PersonInboxPort {
  constructor(private readonly table: TableClient) {}

  async append(employeeId: string, messageId: string, message: unknown): Promise<number> {
    // RowKey forbids / \ # ?: the message id is percent-encoded.
    const idKey = `id:${encodeURIComponent(messageId)}`;
    const known = await this.getEntity<{ seq: number }>(employeeId, idKey);
    if (known) return known.seq;
    for (let attempt = 0; ; attempt++) {
      const counter = await this.getEntity<CounterEntity>(employeeId, 'counter');
      const seq = (counter?.last ?? 0) + 1;
      try {
        if (counter)
          await this.table.updateEntity({ partitionKey: employeeId, rowKey: 'counter', last: seq }, 'Merge', {
            etag: counter.etag,
          });
        else await this.table.createEntity({ partitionKey: employeeId, rowKey: 'counter', last: seq });
      } catch (error) {
        // 412 (changed since read) or 409 (created meanwhile): someone took this seq; read again.
        if (error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409) && attempt < 5)
          continue;
        throw error;
      }
      await this.table.upsertEntity(
        { partitionKey: employeeId, rowKey: `seq:${pad(seq)}`, messageId, message: JSON.stringify(message) },
        'Replace',
      );
      await this.table.upsertEntity({ partitionKey: employeeId, rowKey: idKey, seq }, 'Replace');
      return seq;
    }
  }

  async next(employeeId: string, afterSeq: number): Promise<InboxEntry | null> {
    const filter = odata`PartitionKey eq ${employeeId} and RowKey gt ${`seq:${pad(afterSeq)}`} and RowKey lt ${'seq;'}`;
    for await (const row of this.table.listEntities<{ rowKey: string; message: string }>({
      queryOptions: { filter },
    })) {
      return { seq: Number(row.rowKey.slice(4)), message: JSON.parse(row.message) as unknown };
    }
    return null;
  }

  private async getEntity<T extends object>(
    partitionKey: string,
    rowKey: string,
  ): Promise<(T & { etag?: string }) | null> {
    try {
      return (await this.table.getEntity<T>(partitionKey, rowKey)) as T & { etag?: string };
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }
}
