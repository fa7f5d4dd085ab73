import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { equalityLookups, parseFilter } from './filter';
import { badRequest, forbidden, type EmulatorResponse } from './odata';
import { page, type PageRequest } from './paging';

/**
 * PIM for Groups active assignments, as
 * https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentscheduleinstances answers them:
 * GET /identityGovernance/privilegedAccess/group/assignmentScheduleInstances "requires the $filter (eq) query
 * parameter to scope the request to a principalId or a groupId"; application permission
 * PrivilegedAssignmentSchedule.Read.AzureADGroup (or ReadWrite). Items are
 * privilegedAccessGroupAssignmentScheduleInstance (https://learn.microsoft.com/graph/api/resources/
 * privilegedaccessgroupassignmentscheduleinstance): endDateTime null for a permanent assignment.
 *
 * The emulator does not run PIM's expiry job: an instance whose end has passed stays listed as long as it is
 * stored, so a tenant can be seeded with access that ended but is still held (the licence report's
 * "expired-membership"). Instances are kept in their own table of the emulator's database.
 */
export interface PimGroupAssignment {
  groupId: string;
  principalId: string;
  accessId?: 'member' | 'owner';
  startDateTime?: string | null;
  endDateTime: string | null;
}

/** A seed entry: dates as given, or relative to the seeding (startInDays / endInDays), so a demo stays current. */
export type PimGroupAssignmentSeed = PimGroupAssignment & { startInDays?: number; endInDays?: number };

export function fromSeed(entry: PimGroupAssignmentSeed, now: number): PimGroupAssignment {
  const at = (days: number) => new Date(now + days * 86_400_000).toISOString();
  const { startInDays, endInDays, ...assignment } = entry;
  return {
    ...assignment,
    startDateTime: startInDays !== undefined ? at(startInDays) : (assignment.startDateTime ?? null),
    endDateTime: endInDays !== undefined ? at(endInDays) : (assignment.endDateTime ?? null),
  };
}

const READ_ROLES = [
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
];

export class PimGroupAssignments {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS pim_group_assignments (
      id TEXT PRIMARY KEY, group_id TEXT NOT NULL, principal_id TEXT NOT NULL, doc TEXT NOT NULL)`);
  }

  clear(): void {
    this.db.exec(`DELETE FROM pim_group_assignments`);
  }

  add(assignment: PimGroupAssignment): Record<string, unknown> {
    const accessId = assignment.accessId ?? 'member';
    const doc = {
      id: `${assignment.groupId}_${accessId}_${randomUUID()}`,
      principalId: assignment.principalId,
      startDateTime: assignment.startDateTime ?? null,
      endDateTime: assignment.endDateTime,
      assignmentType: 'Assigned',
      accessId,
      groupId: assignment.groupId,
      memberType: 'Direct',
      assignmentScheduleId: `${assignment.groupId}_${accessId}_${randomUUID()}`,
    };
    this.db
      .prepare(`INSERT INTO pim_group_assignments (id, group_id, principal_id, doc) VALUES (?, ?, ?, ?)`)
      .run(doc.id, doc.groupId.toLowerCase(), doc.principalId.toLowerCase(), JSON.stringify(doc));
    return doc;
  }

  /** The list request: the filter is required, on groupId or principalId with eq. */
  list(req: PageRequest, roles: string[] | undefined): EmulatorResponse {
    if (roles && !roles.some((role) => READ_ROLES.includes(role))) return forbidden();
    const $filter = req.query.get('$filter');
    let lookups: { property: string; values: string[] }[] | null;
    try {
      lookups = $filter ? equalityLookups(parseFilter($filter)) : null;
    } catch {
      lookups = null;
    }
    const lookup = lookups?.length === 1 ? lookups[0]! : null;
    if (!lookup || !['groupId', 'principalId'].includes(lookup.property) || lookup.values.length !== 1)
      return badRequest('This request requires $filter (eq) on groupId or principalId.');
    const column = lookup.property === 'groupId' ? 'group_id' : 'principal_id';
    const rows = this.db
      .prepare(`SELECT doc FROM pim_group_assignments WHERE ${column} = ? ORDER BY id`)
      .all(lookup.values[0]!.toLowerCase()) as { doc: string }[];
    const top = Number.parseInt(req.query.get('$top') ?? '', 10);
    return (
      page(
        req,
        rows.map((r) => JSON.parse(r.doc) as unknown),
        {
          top: Number.isNaN(top) ? null : top,
          context:
            'https://graph.microsoft.com/v1.0/$metadata#identityGovernance/privilegedAccess/group/' +
            'assignmentScheduleInstances',
        },
      ) ?? badRequest('Invalid $skiptoken.')
    );
  }
}
