import type * as df from 'durable-functions';
import { z } from 'zod';
import { activationInstanceId } from '../activation/signals';
import { WorkerRecord } from '../domain/hr-event';
import { PERSON_ORCHESTRATION, personInstanceId } from '../domain/person-contract';
import type { Directory, DirectoryUser } from '../ports/directory';

/**
 * People with a lifecycle, for operators: search, and one person's state.
 *
 * Where people are found: the person orchestrations themselves (one durable instance per person, its input the
 * state of the current turn: last HR record, account id, phase; its custom status the next due date and problems).
 * That list is the index of "people with a lifecycle" the app already keeps; the directory is never scanned: a
 * query that looks like a UPN is one point read (GET /users/{upn}), and the accounts of the page that is answered
 * come in one batched lookup by employee id.
 */
export type PeopleClient = Pick<df.DurableClient, 'getStatus' | 'getStatusBy'>;

const NameFields = z.object({
  employeeId: z.string(),
  legalGivenName: z.string(),
  legalFamilyName: z.string(),
  preferredGivenName: z.string().optional(),
  preferredFamilyName: z.string().optional(),
  displayName: z.string().optional(),
});

const PersonInput = z.object({
  employeeId: z.string(),
  state: z
    .object({
      record: z.unknown().nullable(),
      userId: z.string().nullable(),
      phase: z.string(),
    })
    .optional(),
});

/** What person.ts publishes at the start of each turn. */
const PersonStatus = z
  .object({
    phase: z.string(),
    userId: z.string().nullable(),
    nextDue: z.object({ which: z.string(), at: z.string() }).nullable(),
    lastEvents: z.array(z.string()),
    problems: z.array(z.string()),
  })
  .partial();

export interface PersonSummary {
  employeeId: string;
  displayName: string | null;
  userPrincipalName: string | null;
  userId: string | null;
  phase: string;
  nextDue: { which: string; at: string } | null;
  problems: string[];
  runtimeStatus: string;
}

function displayNameOf(record: unknown): string | null {
  const names = NameFields.safeParse(record);
  if (!names.success) return null;
  const r = names.data;
  return r.displayName ?? `${r.preferredGivenName ?? r.legalGivenName} ${r.preferredFamilyName ?? r.legalFamilyName}`;
}

/** Case and accent blind: "chloe" finds Chloé. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function summary(status: df.DurableOrchestrationStatus): PersonSummary | null {
  const input = PersonInput.safeParse(status.input);
  if (!input.success) return null;
  const custom = PersonStatus.safeParse(status.customStatus ?? {});
  const state = input.data.state;
  return {
    employeeId: input.data.employeeId,
    displayName: displayNameOf(state?.record),
    userPrincipalName: null,
    userId: state?.userId ?? (custom.success ? (custom.data.userId ?? null) : null),
    phase: state?.phase ?? (custom.success ? (custom.data.phase ?? 'unknown') : 'unknown'),
    nextDue: custom.success ? (custom.data.nextDue ?? null) : null,
    problems: custom.success ? (custom.data.problems ?? []) : [],
    runtimeStatus: String(status.runtimeStatus),
  };
}

function isPersonRun(status: df.DurableOrchestrationStatus): boolean {
  return status.name === PERSON_ORCHESTRATION && !status.instanceId.includes(':');
}

/** Search by employee id, name (last HR record) or UPN; exact employee id and UPN matches first. */
export async function searchPeople(
  client: PeopleClient,
  directory: Directory,
  query: { query: string; limit: number },
): Promise<PersonSummary[]> {
  const q = fold(query.query.trim());
  const people = (await client.getStatusBy({}))
    .filter(isPersonRun)
    .map(summary)
    .filter((p) => p !== null);
  const byUpn = q.includes('@') ? await directory.findUserByUpn(query.query.trim()) : null;
  const rank = (p: PersonSummary): number => {
    if (!q) return 3;
    if (fold(p.employeeId) === q || (byUpn && byUpn.employeeId === p.employeeId)) return 0;
    if (fold(p.employeeId).startsWith(q)) return 1;
    if (p.displayName && fold(p.displayName).includes(q)) return 2;
    if (fold(p.employeeId).includes(q)) return 2;
    return -1;
  };
  const page = people
    .map((p) => ({ p, r: rank(p) }))
    .filter(({ r }) => r >= 0)
    .sort((a, b) => a.r - b.r || (a.p.displayName ?? '').localeCompare(b.p.displayName ?? ''))
    .slice(0, query.limit)
    .map(({ p }) => p);
  const accounts = page.length
    ? await directory.findUsersByEmployeeIds(page.map((p) => p.employeeId))
    : new Map<string, DirectoryUser>();
  return page.map((p) => {
    const account = accounts.get(p.employeeId);
    return { ...p, userPrincipalName: account?.userPrincipalName ?? null, userId: p.userId ?? account?.id ?? null };
  });
}

export interface PersonDetail {
  employeeId: string;
  instanceId: string;
  runtimeStatus: string;
  phase: string;
  userId: string | null;
  nextDue: { which: string; at: string } | null;
  problems: string[];
  lastEvents: string[];
  record: WorkerRecord | null;
  account: {
    userId: string;
    userPrincipalName: string;
    displayName: string;
    accountEnabled: boolean;
    department: string | null;
    jobTitle: string | null;
  } | null;
  activation: { instanceId: string; runtimeStatus: string; status: unknown } | null;
}

/** A person's state: lifecycle, last HR record, account and activation. Null when they have no lifecycle. */
export async function personDetail(
  client: PeopleClient,
  directory: Directory,
  employeeId: string,
): Promise<PersonDetail | null> {
  const instanceId = personInstanceId(employeeId);
  const status = await client.getStatus(instanceId, { showInput: true }).catch(() => null);
  const person = status ? summary(status) : null;
  if (!status || !person) return null;
  const input = PersonInput.parse(status.input);
  const custom = PersonStatus.safeParse(status.customStatus ?? {});
  const record = WorkerRecord.safeParse(input.state?.record);
  const [user, activation] = await Promise.all([
    person.userId ? directory.getUser(person.userId) : directory.findUserByEmployeeId(employeeId),
    client.getStatus(activationInstanceId(employeeId), { showInput: false }).catch(() => null),
  ]);
  return {
    employeeId,
    instanceId,
    runtimeStatus: person.runtimeStatus,
    phase: person.phase,
    userId: person.userId ?? user?.id ?? null,
    nextDue: person.nextDue,
    problems: person.problems,
    lastEvents: custom.success ? (custom.data.lastEvents ?? []) : [],
    record: record.success ? record.data : null,
    account: user
      ? {
          userId: user.id,
          userPrincipalName: user.userPrincipalName,
          displayName: user.displayName,
          accountEnabled: user.accountEnabled,
          department: user.department,
          jobTitle: user.jobTitle,
        }
      : null,
    activation: activation
      ? {
          instanceId: activation.instanceId,
          runtimeStatus: String(activation.runtimeStatus),
          status: activation.customStatus ?? null,
        }
      : null,
  };
}
