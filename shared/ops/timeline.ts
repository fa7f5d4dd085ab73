import { z } from 'zod';
import type { AuditLog, AuditRecord } from '../ports/audit-log';

/**
 * A person's timeline from the audit trail, newest first: HR events as received, decisions (an event that needed
 * no step, a restarted lifecycle), steps, directory and SCIM changes with before/after, operators' actions.
 */
type TimelineKind = 'hr-event' | 'decision' | 'step' | 'directory' | 'scim' | 'operator' | 'failure';

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  action: string;
  outcome: AuditRecord['outcome'];
  actor: string;
  target: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  correlation: AuditRecord['correlation'];
}

const OPERATOR_ACTIONS = /^(guard|dead-letter|run|policy)\./;

function timelineKind(record: AuditRecord): TimelineKind {
  if (record.action === 'hr-event.processing-failed') return 'failure';
  if (record.action === 'hr-event' || record.action.startsWith('lifecycle.')) return 'decision';
  if (record.action.startsWith('hr-event.')) return 'hr-event';
  if (OPERATOR_ACTIONS.test(record.action)) return 'operator';
  if (record.target !== 'entra' && record.target !== 'entra-jml' && !record.target.startsWith('servicebus:'))
    return 'scim';
  if (record.target === 'entra' && (record.before !== null || record.after !== null)) return 'directory';
  return 'step';
}

/** Where a page ended: records at or before `to`, less the first `skip` of those exactly at `to`. */
const Cursor = z.object({ to: z.string(), skip: z.number().int().min(0) });

export class InvalidTimelineToken extends Error {
  constructor() {
    super('continuationToken is not one this API gave out');
  }
}

/** Every record of one person up to `to` (one person's trail: hundreds of records, not the whole log). */
async function recordsOf(auditLog: AuditLog, employeeId: string, to?: string): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  let token: string | undefined;
  do {
    const page = await auditLog.page({ employeeId, to, limit: 10_000, continuationToken: token });
    all.push(...page.records);
    token = page.continuationToken ?? undefined;
  } while (token);
  return all;
}

export async function personTimeline(
  auditLog: AuditLog,
  employeeId: string,
  query: { limit: number; continuationToken?: string },
): Promise<{ entries: TimelineEntry[]; continuationToken: string | null }> {
  let cursor: z.infer<typeof Cursor> | null = null;
  if (query.continuationToken) {
    try {
      cursor = Cursor.parse(JSON.parse(Buffer.from(query.continuationToken, 'base64url').toString('utf8')));
    } catch {
      throw new InvalidTimelineToken();
    }
  }
  // Newest first; records of one instant keep the reverse of their append order.
  const records = (await recordsOf(auditLog, employeeId, cursor?.to))
    .map((record, index) => ({ record, index }))
    .sort((a, b) => (a.record.at === b.record.at ? b.index - a.index : b.record.at.localeCompare(a.record.at)))
    .map(({ record }) => record);
  const rest = cursor
    ? records.slice(Math.min(cursor.skip, records.filter((r) => r.at === cursor.to).length))
    : records;
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  let continuationToken: string | null = null;
  if (last && rest.length > page.length) {
    const atLast = page.filter((r) => r.at === last.at).length;
    const skip = cursor && last.at === cursor.to ? cursor.skip + atLast : atLast;
    continuationToken = Buffer.from(JSON.stringify({ to: last.at, skip })).toString('base64url');
  }
  return {
    entries: page.map((r) => ({
      at: r.at,
      kind: timelineKind(r),
      action: r.action,
      outcome: r.outcome,
      actor: r.actor,
      target: r.target,
      reason: r.reason,
      before: r.before,
      after: r.after,
      correlation: r.correlation,
    })),
    continuationToken,
  };
}
