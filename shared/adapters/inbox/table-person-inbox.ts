import { odata, RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { InboxEntry, PersonInboxPort } from '../../ports/person-inbox';
import { joinText, splitText } from '../table-storage/long-text';

/**
 * Person inboxes on Azure Table Storage: partition = employee id; rows `seq:{000000000001}` hold the
 * messages (RowKey order is seq order), `id:{messageId}` remembers a message's seq (redeliveries), and
 * `counter` holds the last seq. An append writes the three rows in one entity group transaction (one
 * partition, all or nothing:
 * https://learn.microsoft.com/rest/api/storageservices/performing-entity-group-transactions), advancing the
 * counter under its ETag and creating the id row: a writer that lost a race (412: the counter moved; 409: a
 * row exists) has written nothing and reads again, so two writers never share a seq and one message id never
 * gets two. One person's events come from one Service Bus session at a time, so a retry is rare; each lost
 * race means another append succeeded, so the bound is generous.
 */
const pad = (seq: number) => String(seq).padStart(12, '0');
const MAX_ATTEMPTS = 50;

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
    for (let attempt = 1; ; attempt++) {
      const known = await this.getEntity<{ seq: number }>(employeeId, idKey);
      if (known) return known.seq;
      const counter = await this.getEntity<CounterEntity>(employeeId, 'counter');
      const seq = (counter?.last ?? 0) + 1;
      const advance: TransactionAction = counter
        ? ['update', { partitionKey: employeeId, rowKey: 'counter', last: seq }, 'Merge', { etag: counter.etag }]
        : ['create', { partitionKey: employeeId, rowKey: 'counter', last: seq }];
      try {
        await this.table.submitTransaction([
          advance,
          [
            'create',
            {
              partitionKey: employeeId,
              rowKey: `seq:${pad(seq)}`,
              messageId,
              ...splitText('message', JSON.stringify(message)),
            },
          ],
          ['create', { partitionKey: employeeId, rowKey: idKey, seq }],
        ]);
        return seq;
      } catch (error) {
        const lostRace = error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409);
        if (lostRace && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async next(employeeId: string, afterSeq: number): Promise<InboxEntry | null> {
    const filter = odata`PartitionKey eq ${employeeId} and RowKey gt ${`seq:${pad(afterSeq)}`} and RowKey lt ${'seq;'}`;
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      return { seq: Number(String(row.rowKey).slice(4)), message: JSON.parse(joinText('message', row)) as unknown };
    }
    return null;
  }

  private async getEntity<T extends object>(
    partitionKey: string,
    rowKey: string,
  ): Promise<(T & { etag?: string }) | null> {
    try {
      return await this.table.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return null;
      throw error;
    }
  }
}
