import { createHash, randomUUID } from 'node:crypto';
import { odata, RestError, type TableClient } from '@azure/data-tables';
import { exceedsDeletionThreshold, type Policy } from '../domain/policy';
import type { DeletionGuardPort, Hold, RemovalRequest } from '../ports/deletion-guard';

/**
 * The deletion guard on Azure Table Storage (shared by every instance of the Function App). Removals are
 * rows in partition "removal" keyed by time; holds are rows in partition "hold". Counting and inserting are
 * two requests, so two instances racing at the threshold may both proceed: the threshold is a safety net
 * against mass mistakes, not an exact quota. Deciding a hold is conditional on its ETag, so it happens once.
 * A removal that was let through also leaves a row in partition "counted", keyed by a hash of its employee, action
 * and decision key (RowKey refuses '/', '\\', '#', '?'), so a retried leaver is found with one point read.
 */
const HOUR_MS = 3_600_000;

interface HoldEntity {
  partitionKey: string;
  rowKey: string;
  employeeId: string;
  action: Hold['action'];
  instanceId: string;
  eventId: string;
  /** Absent on holds written before the key existed: their instance id stands for it. */
  decisionKey?: string;
  createdAt: string;
  status: Hold['status'];
  decidedBy: string;
}

function toHold(e: HoldEntity): Hold {
  return {
    holdId: e.rowKey,
    employeeId: e.employeeId,
    action: e.action,
    instanceId: e.instanceId,
    eventId: e.eventId || null,
    createdAt: e.createdAt,
    status: e.status,
    decidedBy: e.decidedBy || null,
  };
}

export class TableDeletionGuard implements DeletionGuardPort {
  constructor(
    private readonly table: TableClient,
    private readonly now: () => number = Date.now,
  ) {}

  private async holdsWhere(filter: string): Promise<Hold[]> {
    const out: Hold[] = [];
    for await (const e of this.table.listEntities<HoldEntity>({ queryOptions: { filter } })) out.push(toHold(e));
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async check(request: RemovalRequest, policy: Policy): Promise<{ decision: 'proceed' | 'held'; holdId?: string }> {
    const key = request.decisionKey ?? request.instanceId;
    const existing = (
      await this.holdsWhere(
        odata`PartitionKey eq 'hold' and employeeId eq ${request.employeeId} and action eq ${request.action}` +
          ' and ' +
          odata`(decisionKey eq ${key} or instanceId eq ${key})`,
      )
    )[0];
    if (existing)
      return existing.status === 'held' ? { decision: 'held', holdId: existing.holdId } : { decision: 'proceed' };
    if (await this.counted(request.employeeId, request.action, key)) return { decision: 'proceed' };
    const now = this.now();
    let inWindow = 0;
    const since = new Date(now - HOUR_MS).toISOString();
    for await (const _ of this.table.listEntities({
      queryOptions: { filter: odata`PartitionKey eq 'removal' and RowKey gt ${since}`, select: ['RowKey'] },
    }))
      inWindow++;
    if (
      exceedsDeletionThreshold(
        { pending: 1, alreadyInWindow: inWindow, totalAccounts: request.totalAccounts ?? 0 },
        policy,
      )
    ) {
      const holdId = randomUUID();
      await this.table.createEntity<HoldEntity>({
        partitionKey: 'hold',
        rowKey: holdId,
        employeeId: request.employeeId,
        action: request.action,
        instanceId: request.instanceId,
        eventId: request.eventId ?? '',
        decisionKey: key,
        createdAt: new Date(now).toISOString(),
        status: 'held',
        decidedBy: '',
      });
      return { decision: 'held', holdId };
    }
    await this.recordRemoval(request.employeeId, request.action, key, now);
    return { decision: 'proceed' };
  }

  private async counted(employeeId: string, action: string, key: string): Promise<boolean> {
    try {
      await this.table.getEntity('counted', countedRowKey(employeeId, action, key));
      return true;
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /**
   * The removal row (what the window counts), then the decision's "counted" row. A crash between the two counts
   * the decision again when it is retried: stricter, never looser.
   */
  private async recordRemoval(employeeId: string, action: string, key: string, now: number): Promise<void> {
    await this.table.createEntity({
      partitionKey: 'removal',
      rowKey: `${new Date(now).toISOString()}_${randomUUID().slice(0, 8)}`,
      employeeId,
      action,
      decisionKey: key,
    });
    await this.table.upsertEntity(
      { partitionKey: 'counted', rowKey: countedRowKey(employeeId, action, key), at: new Date(now).toISOString() },
      'Replace',
    );
  }

  list(status?: Hold['status']): Promise<Hold[]> {
    return this.holdsWhere(status ? odata`PartitionKey eq 'hold' and status eq ${status}` : `PartitionKey eq 'hold'`);
  }

  async decide(holdId: string, approve: boolean, actor: string): Promise<Hold | null> {
    const entity = await this.hold(holdId);
    if (!entity || entity.status !== 'held') return null;
    const status: Hold['status'] = approve ? 'approved' : 'rejected';
    try {
      // Only if nobody decided since it was read: two admins approving at once record one removal, not two.
      await this.table.updateEntity({ partitionKey: 'hold', rowKey: holdId, status, decidedBy: actor }, 'Merge', {
        etag: entity.etag,
      });
    } catch (error) {
      if (error instanceof RestError && error.statusCode === 412) return null;
      throw error;
    }
    if (approve)
      await this.recordRemoval(entity.employeeId, entity.action, entity.decisionKey ?? entity.instanceId, this.now());
    return { ...toHold(entity), status, decidedBy: actor };
  }

  private async hold(holdId: string): Promise<(HoldEntity & { etag: string }) | null> {
    try {
      return await this.table.getEntity<HoldEntity>('hold', holdId);
    } catch (error) {
      // 404: no such hold; 400: an id no RowKey can be (the id comes from a URL).
      if (error instanceof RestError && (error.statusCode === 404 || error.statusCode === 400)) return null;
      throw error;
    }
  }
}

function countedRowKey(employeeId: string, action: string, key: string): string {
  return createHash('sha256').update(`${employeeId}\n${action}\n${key}`).digest('hex');
}
