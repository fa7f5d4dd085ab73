import * as z from 'zod/mini';
import { call, query, type ApiResult } from '../api/client';
import {
  AuditAnswer,
  Explanation,
  PersonDetail,
  PersonStatus,
  TimelineAnswer,
  type AuditEntry,
  type Explanation as ExplanationType,
  type PersonDetail as PersonDetailType,
  type PersonStatus as PersonStatusType,
} from '../api/schemas';

export interface TimelinePage {
  entries: AuditEntry[];
  continuationToken: string | null;
  /** The admin API's timeline route is not there: the entries come from the audit trail, newest first. */
  fromAudit: boolean;
}

export interface PersonData {
  status: ApiResult<PersonStatusType>;
  detail: ApiResult<PersonDetailType>;
  explain: ApiResult<ExplanationType>;
  activation: ApiResult<unknown>;
  timeline: ApiResult<TimelinePage>;
}

/** Audit pages read, at most, when the timeline has to be rebuilt from the audit trail (oldest first there). */
const AUDIT_PAGES = 5;

async function auditTimeline(apiBase: string, employeeId: string): Promise<ApiResult<TimelinePage>> {
  const entries: AuditEntry[] = [];
  let token: string | null | undefined = undefined;
  for (let page = 0; page < AUDIT_PAGES; page++) {
    const answer: ApiResult<z.infer<typeof AuditAnswer>> = await call(
      `${apiBase}/ops/audit${query({ employeeId, limit: 1000, continuationToken: token })}`,
      AuditAnswer,
    );
    if (answer.kind !== 'ok') return answer;
    entries.push(...answer.data.value);
    token = answer.data.continuationToken;
    if (!token) break;
  }
  entries.sort((a, b) => b.at.localeCompare(a.at));
  return { kind: 'ok', status: 200, data: { entries, continuationToken: null, fromAudit: true } };
}

/** One page of the person's timeline, newest first: the admin API's route, else the audit trail. */
export async function timelinePage(
  apiBase: string,
  employeeId: string,
  continuationToken: string | null = null,
): Promise<ApiResult<TimelinePage>> {
  const path = `${apiBase}/ops/people/${encodeURIComponent(employeeId)}/timeline`;
  const answer = await call(`${path}${query({ continuationToken })}`, TimelineAnswer);
  if (answer.kind === 'unavailable') return auditTimeline(apiBase, employeeId);
  if (answer.kind !== 'ok') return answer;
  return {
    ...answer,
    data: {
      entries: answer.data.entries,
      continuationToken: answer.data.continuationToken ?? null,
      fromAudit: false,
    },
  };
}

/** Everything the person page shows, fetched in parallel; each part may be missing on its own. */
export async function loadPerson(apiBase: string, employeeId: string): Promise<ApiResult<PersonData>> {
  const id = encodeURIComponent(employeeId);
  const [status, detail, explain, activation, timeline] = await Promise.all([
    call(`${apiBase}/persons/${id}`, PersonStatus),
    call(`${apiBase}/ops/people/${id}`, PersonDetail),
    call(`${apiBase}/ops/persons/${id}/explain`, Explanation),
    call(`${apiBase}/ops/persons/${id}/activation`, z.unknown()),
    timelinePage(apiBase, employeeId),
  ]);
  return { kind: 'ok', status: 200, data: { status, detail, explain, activation, timeline } };
}
