import type { ExpectedPerson } from './oracle';

/** The parts of the Graph emulator's admin state (GET /_local/graph/_admin/state) the checks read. */
interface DirectoryUser {
  id: string;
  employeeId: string | null;
  department: string | null;
  accountEnabled: boolean;
  manager: string | null;
  groups: string[];
  deletedDateTime?: string | null;
}
export interface DirectoryState {
  users: DirectoryUser[];
  deletedUsers: DirectoryUser[];
}
/** GET /api/persons/{employeeId}: the lifecycle's custom status. */
export interface PersonStatus {
  runtimeStatus?: string;
  phase?: string;
  lastEvents?: string[];
  /** What went wrong, as operators see it (visibility.ts). */
  problems?: string[];
  pendingStep?: { reason?: string } | null;
}

export interface TrialCheck {
  /** `employeeId: what differs` for each person whose directory state is not what the oracle says. */
  divergedPersons: string[];
  /** Accepted events the person's lifecycle never handled. */
  lostEvents: string[];
  /** Effects applied twice: two live accounts for one person, or an account that should not exist (orphan). */
  duplicateEffects: string[];
}

/** Compares each person with the oracle; group names come from the policy's group ids (demo groups). */
export function checkTrial(
  expected: ExpectedPerson[],
  directory: DirectoryState,
  statuses: (PersonStatus | null)[],
  groupName: (id: string) => string = (id) => id,
): TrialCheck {
  const diverged: string[] = [];
  const lost: string[] = [];
  const duplicates: string[] = [];
  const live = new Map<string, DirectoryUser[]>();
  for (const user of directory.users) {
    if (!user.employeeId) continue;
    live.set(user.employeeId, [...(live.get(user.employeeId) ?? []), user]);
  }
  const byId = new Map(directory.users.map((u) => [u.id, u]));
  expected.forEach((person, index) => {
    const accounts = live.get(person.employeeId) ?? [];
    if (accounts.length > 1) duplicates.push(`${person.employeeId}: ${accounts.length} live accounts`);
    const account = accounts[0];
    const status = statuses[index];
    const handled = new Set(status?.lastEvents ?? []);
    for (const eventId of person.eventIds)
      if (!handled.has(eventId)) lost.push(`${person.employeeId}: ${eventId} not handled`);
    const differs: string[] = [];
    if (status?.runtimeStatus && status.runtimeStatus !== 'Running') differs.push(`lifecycle ${status.runtimeStatus}`);
    if (status?.phase !== person.phase) differs.push(`phase ${status?.phase ?? 'unknown'} ≠ ${person.phase}`);
    if (!person.accountExists) {
      if (account) differs.push('account exists but must not');
    } else if (!account) differs.push('no account');
    else {
      if (account.accountEnabled !== person.enabled)
        differs.push(`enabled ${account.accountEnabled} ≠ ${person.enabled}`);
      if ((account.department ?? null) !== (person.record?.department ?? null))
        differs.push(`department ${account.department} ≠ ${person.record?.department}`);
      const wanted = person.groupIds.map(groupName);
      const missing = wanted.filter((g) => !account.groups.includes(g));
      if (missing.length) differs.push(`missing groups ${missing.join(', ')}`);
      if (!person.enabled && person.groupIds.length === 0 && account.groups.length && person.phase !== 'pre-hire')
        differs.push(`still in ${account.groups.join(', ')}`);
      const managerEmployeeId = person.record?.managerEmployeeId;
      if (managerEmployeeId && person.enabled) {
        const manager = account.manager ? byId.get(account.manager) : undefined;
        if (manager?.employeeId !== managerEmployeeId)
          differs.push(`manager ${manager?.employeeId ?? 'none'} ≠ ${managerEmployeeId}`);
      }
    }
    if (differs.length) diverged.push(`${person.employeeId}: ${differs.join('; ')}`);
  });
  const known = new Set(expected.map((p) => p.employeeId));
  for (const [employeeId, accounts] of live)
    if (!known.has(employeeId) && employeeId.startsWith('K'))
      duplicates.push(`${employeeId}: orphan (${accounts.length})`);
  return { divergedPersons: diverged, lostEvents: lost, duplicateEffects: duplicates };
}
