import { describeIssues, type HrEvent } from '../domain/hr-event';
import type { OperationIntake } from '../ports/bulk-request-store';
import type { DirectoryUser } from '../ports/directory';
import { validateEvents } from './accept-events';
import type { Expression } from './attribute-mapping';
import {
  carriesAttributes,
  completeFromDirectory,
  managerReference,
  ScimUser,
  toHrEvent,
  type BulkRequest,
  type ManagerReference,
} from './bulk-upload';

/**
 * Turns a valid BulkRequest envelope into one intake decision per operation, as Entra processes each
 * operation on its own: an operation whose user is unusable fails alone (with the reason), a value that
 * cannot be carried over is a warning, and the others are queued as HR events. Reads the directory
 * (match by externalId ↔ employeeId, manager references) but writes nothing.
 */
export interface IntakeDirectory {
  findUsersByEmployeeIds(employeeIds: string[]): Promise<Map<string, DirectoryUser>>;
  getUser(id: string): Promise<DirectoryUser | null>;
}

export interface PlannedOperation extends OperationIntake {
  /** The HR events to queue, in order (empty unless intake is 'queued'). */
  events: HrEvent[];
}

/** Worker fields named by the SCIM attribute they come from, so a refusal names what the caller sent. */
const SCIM_NAMES: Record<string, string> = {
  'worker.employeeId': 'externalId',
  'worker.legalGivenName': 'name.givenName',
  'worker.legalFamilyName': 'name.familyName',
  'worker.preferredGivenName': 'nickName',
  'worker.personalEmail': 'emails[type eq "home"].value',
  'worker.department': 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  'worker.costCenter': 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter',
  'worker.company': 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:organization',
  'worker.jobTitle': 'title',
  'worker.city': 'addresses.locality',
  'worker.hireDate': 'HireDate (custom schema)',
  'worker.leaveDate': 'LeaveDate (custom schema)',
};

function describeProblem(path: string, reason: string): string {
  const scim = SCIM_NAMES[path];
  return scim ? `${scim} (${path}): ${reason}` : `${path}: ${reason}`;
}

/** Event ids unique within the request (the index) and readable (the bulkId), within HrEvent's alphabet. */
function eventIdFor(requestId: string, index: number, bulkId: string, suffix = ''): string {
  const readable = bulkId.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 40);
  return `bulk-${requestId}-${index}${suffix}-${readable}`.slice(0, 128);
}

interface ManagerLookups {
  byEmployeeId: Map<string, DirectoryUser | null>;
  byObjectId: Map<string, DirectoryUser | null>;
}

/** The manager the events carry (an employee id) and what to tell the caller about it. */
function resolveManager(
  reference: ManagerReference,
  employeeId: string,
  inRequest: Set<string>,
  lookups: ManagerLookups,
): { managerEmployeeId?: string; warning?: string } {
  switch (reference.kind) {
    case 'none':
      return {};
    case 'unusable':
      return {
        warning:
          `manager.value "${reference.value}" is neither an employee id nor a directory object id: ` + 'no manager set',
      };
    case 'employeeId':
      if (reference.value === employeeId) return { warning: 'manager.value names the person themself: ignored' };
      if (inRequest.has(reference.value) || lookups.byEmployeeId.get(reference.value)) {
        return { managerEmployeeId: reference.value };
      }
      return {
        managerEmployeeId: reference.value,
        warning:
          `manager ${reference.value} has no account yet: provisioned without a manager; ` +
          'the manager is assigned once an account with that employee id exists',
      };
    case 'objectId': {
      const manager = lookups.byObjectId.get(reference.value);
      if (!manager) return { warning: `manager ${reference.value}: no such directory object, no manager set` };
      if (!manager.employeeId)
        return {
          warning: `manager ${reference.value} (${manager.userPrincipalName}) has no employeeId: no manager set`,
        };
      return manager.employeeId === employeeId
        ? { warning: 'manager.value names the person themself: ignored' }
        : { managerEmployeeId: manager.employeeId };
    }
  }
}

async function lookupAll<T>(keys: Iterable<T>, find: (key: T) => Promise<DirectoryUser | null>) {
  const unique = [...new Set(keys)];
  const found = await Promise.all(unique.map(find));
  return new Map(unique.map((key, i) => [key, found[i] ?? null]));
}

export async function planOperations(
  request: BulkRequest,
  context: { requestId: string; receivedAt: Date; directory: IntakeDirectory; mapping?: Record<string, Expression> },
): Promise<PlannedOperation[]> {
  const { requestId, receivedAt, directory, mapping } = context;
  const users = request.Operations.map((o) => ScimUser.safeParse(o.data));
  const parsed = users.flatMap((u) => (u.success ? [u.data] : []));
  const inRequest = new Set(parsed.map((u) => u.externalId));
  const references = parsed.map(managerReference);
  // Every read at once: the operations' own accounts and the managers they name, by employee id in one batched
  // lookup (deduplicated), and managers named by object id.
  const managerIds = references.flatMap((r) => (r.kind === 'employeeId' && !inRequest.has(r.value) ? [r.value] : []));
  const [found, byObjectId] = await Promise.all([
    directory.findUsersByEmployeeIds([...inRequest, ...managerIds]),
    lookupAll(
      references.flatMap((r) => (r.kind === 'objectId' ? [r.value] : [])),
      (id) => directory.getUser(id),
    ),
  ]);
  const matches = new Map([...inRequest].map((id) => [id, found.get(id) ?? null]));
  const byEmployeeId = new Map(managerIds.map((id) => [id, found.get(id) ?? null]));

  return request.Operations.map((operation, index): PlannedOperation => {
    const base = {
      bulkId: operation.bulkId,
      employeeId: null,
      eventIds: [],
      matched: false,
      managerEmployeeId: null,
      reason: null,
      warnings: [],
      events: [],
    };
    const user = users[index]!;
    if (!user.success)
      return {
        ...base,
        intake: 'failed',
        reason: describeIssues(user.error)
          .map((p) => `data.${p.path}: ${p.reason}`)
          .join('; '),
      };
    const scim = user.data;
    const matched = matches.get(scim.externalId) ?? null;
    const known = { ...base, employeeId: scim.externalId, matched: !!matched };
    const { event, warnings } = toHrEvent(scim, eventIdFor(requestId, index, operation.bulkId), receivedAt, mapping);
    const manager = resolveManager(managerReference(scim), scim.externalId, inRequest, {
      byEmployeeId,
      byObjectId,
    });
    if (manager.warning) warnings.push(manager.warning);
    if (manager.managerEmployeeId) event.worker.managerEmployeeId = manager.managerEmployeeId;
    const withManager = { ...known, warnings, managerEmployeeId: manager.managerEmployeeId ?? null };

    if (event.type === 'terminate' && !matched)
      return {
        ...withManager,
        intake: 'skipped',
        reason: `no user has employeeId ${scim.externalId}: nothing to deactivate`,
      };
    const complete = completeFromDirectory(event, matched, receivedAt);
    // `active: false` with attributes (Microsoft's Example 3): apply the attributes, then deactivate.
    const inputs =
      event.type === 'terminate' && carriesAttributes(scim)
        ? [
            {
              ...complete,
              type: 'update' as const,
              immediate: false,
              eventId: eventIdFor(requestId, index, operation.bulkId, 'u'),
            },
            complete,
          ]
        : [complete];
    const events: HrEvent[] = [];
    const problems: string[] = [];
    for (const input of inputs) {
      const result = validateEvents(input, 'bulkUpload');
      if (result.ok) events.push(...result.events);
      else problems.push(...result.problems.map((p) => describeProblem(p.path, p.reason)));
    }
    if (problems.length) return { ...withManager, intake: 'failed', reason: [...new Set(problems)].join('; ') };
    return {
      ...withManager,
      intake: 'queued',
      eventIds: events.map((e) => e.eventId),
      reason:
        `queued as ${events.map((e) => e.type).join(' then ')} ` +
        `(${matched ? 'matched an existing user' : 'new user'})`,
      events,
    };
  });
}
