import { odata, type TableClient } from '@azure/data-tables';
import { Circuit, closedCircuit } from '../../domain/scim-circuit';
import { ParkedSync, SenderState, type ScimTargetHealth } from '../../ports/scim-target-health';
import { tableCreatedOnce } from './table-once';
import { statusOf } from './rest-status';

/**
 * SCIM target circuits and backlogs on Azure Table Storage (table jmlscimtargethealth). Partition `circuit`, row =
 * target id, the circuit as JSON, changed under the ETag read (412 → another sync wrote first: read again).
 * Partition `parked-{targetId}`, row = percent-encoded employee id (RowKey forbids / \ # ?), one parked sync each.
 * Partition `sender`, row = target id: the target's sender state (SenderState), last write wins.
 * Conditional writes: https://learn.microsoft.com/rest/api/storageservices/update-entity2#remarks
 */
interface CircuitEntity {
  partitionKey: string;
  rowKey: string;
  doc: string;
  etag?: string;
}

interface ParkedEntity {
  partitionKey: string;
  rowKey: string;
  seq: number;
  doc: string;
  etag?: string;
}

const MAX_WRITE_ATTEMPTS = 20;

const parkedPartition = (targetId: string) => `parked-${targetId}`;

export class TableScimTargetHealth implements ScimTargetHealth {
  private readonly ready: () => Promise<unknown>;

  constructor(private readonly table: TableClient) {
    this.ready = tableCreatedOnce(table);
  }

  private async get<T extends object>(partitionKey: string, rowKey: string): Promise<(T & { etag?: string }) | null> {
    await this.ready();
    try {
      return await this.table.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  async circuit(targetId: string): Promise<Circuit> {
    const row = await this.get<CircuitEntity>('circuit', targetId);
    return row ? Circuit.parse(JSON.parse(row.doc)) : closedCircuit();
  }

  async updateCircuit<T>(targetId: string, change: (circuit: Circuit) => { circuit: Circuit; result: T }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.get<CircuitEntity>('circuit', targetId);
      const { circuit, result } = change(row ? Circuit.parse(JSON.parse(row.doc)) : closedCircuit());
      const entity = { partitionKey: 'circuit', rowKey: targetId, doc: JSON.stringify(Circuit.parse(circuit)) };
      try {
        if (row) await this.table.updateEntity(entity, 'Replace', { etag: row.etag });
        else await this.table.createEntity(entity);
        return result;
      } catch (error) {
        const lostRace = statusOf(error) === 412 || statusOf(error) === 409;
        if (!lostRace || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  async park(sync: ParkedSync, options: { onlyIfAbsent?: boolean } = {}): Promise<void> {
    const row = ParkedSync.parse(sync);
    const key = encodeURIComponent(row.employeeId);
    const entity = { partitionKey: parkedPartition(row.targetId), rowKey: key, seq: row.seq, doc: JSON.stringify(row) };
    for (let attempt = 1; ; attempt++) {
      const current = await this.get<ParkedEntity>(entity.partitionKey, key);
      if (current && (options.onlyIfAbsent || current.seq >= row.seq)) return;
      try {
        if (current) await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
        else await this.table.createEntity(entity);
        return;
      } catch (error) {
        const lostRace = statusOf(error) === 412 || statusOf(error) === 409;
        if (!lostRace || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      }
    }
  }

  async parkedFor(targetId: string, employeeId: string): Promise<ParkedSync | null> {
    const row = await this.get<ParkedEntity>(parkedPartition(targetId), encodeURIComponent(employeeId));
    return row ? ParkedSync.parse(JSON.parse(row.doc)) : null;
  }

  async parked(targetId: string, limit: number, after?: string): Promise<ParkedSync[]> {
    await this.ready();
    const out: ParkedSync[] = [];
    // Rows come in RowKey order (https://learn.microsoft.com/rest/api/storageservices/query-entities#remarks):
    // the cursor is compared as the RowKey it is stored under.
    const partition = parkedPartition(targetId);
    const filter = after
      ? odata`PartitionKey eq ${partition} and RowKey gt ${encodeURIComponent(after)}`
      : odata`PartitionKey eq ${partition}`;
    const rows = this.table.listEntities<ParkedEntity>({ queryOptions: { filter } });
    for await (const row of rows) {
      out.push(ParkedSync.parse(JSON.parse(row.doc)));
      if (out.length >= limit) break;
    }
    return out;
  }

  async countParked(targetId: string): Promise<number> {
    await this.ready();
    let count = 0;
    const rows = this.table.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${parkedPartition(targetId)}`, select: ['RowKey'] },
    });
    for await (const _row of rows) count++;
    return count;
  }

  async unpark(targetId: string, employeeId: string, seq: number): Promise<boolean> {
    const current = await this.get<ParkedEntity>(parkedPartition(targetId), encodeURIComponent(employeeId));
    if (!current || current.seq !== seq) return false;
    try {
      await this.table.deleteEntity(current.partitionKey, current.rowKey, { etag: current.etag });
      return true;
    } catch (error) {
      if (statusOf(error) === 404 || statusOf(error) === 412) return false;
      throw error;
    }
  }

  async sender(targetId: string): Promise<SenderState> {
    const row = await this.get<{ doc: string }>('sender', targetId);
    return row ? SenderState.parse(JSON.parse(row.doc)) : { idle: true, until: null };
  }

  async setSender(targetId: string, state: SenderState): Promise<void> {
    await this.ready();
    const doc = JSON.stringify(SenderState.parse(state));
    await this.table.upsertEntity({ partitionKey: 'sender', rowKey: targetId, doc }, 'Replace');
  }
}
