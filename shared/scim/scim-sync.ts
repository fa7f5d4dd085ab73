import { ScimSettingError } from '../config/sections/scim';
import type { WorkerRecord } from '../domain/hr-event';
import type { Policy, ScimTarget } from '../domain/policy';
import { scimDisposition, scimGroupMemberships } from '../domain/scim-decision';
import {
  compileScimMapping,
  desiredAttributes,
  desiredValue,
  MANAGER_PATH,
  scimPersonData,
  scimUserResource,
  type DesiredAttribute,
} from '../domain/scim-mapping';
import { diffScimUser, sameScimValue } from '../domain/scim-patch';
import type { ScimConnection, ScimSession } from '../adapters/scim/scim-client';
import { ScimRequestError } from '../adapters/scim/scim-error';
import type { ScimResourceBody } from '../adapters/scim/scim-responses';
import type { Directory, DirectoryUser } from '../ports/directory';
import { ScimSyncRequest, type ScimListedUser, type ScimSync, type ScimSyncOutcome } from '../ports/scim-sync';

export interface ScimSyncDependencies {
  policy: () => Policy;
  directory: Pick<Directory, 'getUser' | 'listMemberships'>;
  connection: (target: ScimTarget) => ScimConnection;
}

type Result = Extract<ScimSyncOutcome, { ok: true }>['result'];

/**
 * Brings one person in one SCIM target to what the policy says (the ScimSync port): reads the account, decides
 * (shared/domain/scim-decision.ts), looks the user up by userName then externalId, and creates, adopts, patches,
 * deactivates or deletes. Target errors come back as a failed outcome with every call made; directory errors throw
 * (the activity's retry handles them).
 */
export function createScimSync(dependencies: ScimSyncDependencies): ScimSync {
  return {
    sync: (request) => syncPerson(dependencies, ScimSyncRequest.parse(request)),
    listUsers: (targetId) => listTargetUsers(dependencies, targetId),
  };
}

async function listTargetUsers(deps: ScimSyncDependencies, targetId: string): Promise<ScimListedUser[]> {
  const target = deps.policy().scimTargets.find((t) => t.id === targetId);
  if (!target) throw new Error(`no SCIM target "${targetId}" in the policy`);
  const users = await deps.connection(target).session().listUsers();
  return users.map((user) => {
    const field = (name: string) => Object.entries(user).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const externalId = field('externalId');
    const active = field('active');
    return {
      externalId: typeof externalId === 'string' ? externalId : null,
      userName: String(field('userName') ?? ''),
      // RFC 7643 §2.3.2 booleans; quirky targets send "True"/"False".
      active: active === undefined ? true : String(active).toLowerCase() === 'true',
    };
  });
}

async function syncPerson(deps: ScimSyncDependencies, request: ScimSyncRequest): Promise<ScimSyncOutcome> {
  const policy = deps.policy();
  const target = policy.scimTargets.find((t) => t.id === request.targetId);
  if (!target) {
    const detail = `no SCIM target "${request.targetId}" in policy ${policy.version}`;
    return {
      ok: false,
      targetId: request.targetId,
      retryable: false,
      status: null,
      retryAfterSeconds: null,
      detail,
      calls: [],
    };
  }
  if (!target.enabled) return { ok: true, targetId: target.id, result: 'out-of-scope', scimId: null, calls: [] };
  const account = request.userId ? await deps.directory.getUser(request.userId) : null;
  const session = deps.connection(target).session();
  try {
    const { result, scimId } = await decideAndApply(deps, target, policy, request, account, session);
    return { ok: true, targetId: target.id, result, scimId, calls: session.calls };
  } catch (error) {
    if (error instanceof ScimRequestError) {
      return {
        ok: false,
        targetId: target.id,
        retryable: error.retryable,
        status: error.status,
        retryAfterSeconds: error.retryAfterSeconds,
        detail: error.detail,
        calls: session.calls,
      };
    }
    if (error instanceof ScimSettingError) {
      const detail = `app setting ${error.message}`;
      return {
        ok: false,
        targetId: target.id,
        retryable: false,
        status: null,
        retryAfterSeconds: null,
        detail,
        calls: session.calls,
      };
    }
    throw error;
  }
}

async function decideAndApply(
  deps: ScimSyncDependencies,
  target: ScimTarget,
  policy: Policy,
  request: ScimSyncRequest,
  account: DirectoryUser | null,
  session: ScimSession,
): Promise<{ result: Result; scimId: string | null }> {
  const disposition = scimDisposition(request, target, policy, account);
  if (disposition.kind === 'invalid') throw new ScimRequestError(null, false, null, disposition.reason);
  const desired = request.record && account ? await desiredUser(session, target, request.record, account) : null;
  const keys = desired
    ? { userName: text(desiredValue(desired, 'userName')), externalId: text(desiredValue(desired, 'externalId')) }
    : { userName: account?.userPrincipalName, externalId: request.employeeId };
  const existing = await session.findUser(keys);

  switch (disposition.kind) {
    case 'delete':
      if (!existing) return { result: 'absent', scimId: null };
      return { result: await session.deleteUser(existing.id), scimId: existing.id };
    case 'deactivate':
      if (!existing) return { result: 'absent', scimId: null };
      if (!isActive(existing)) return { result: 'unchanged', scimId: existing.id };
      await deactivate(session, existing);
      return { result: 'deactivated', scimId: existing.id };
    case 'withhold':
      if (!existing || !isActive(existing)) return { result: 'out-of-scope', scimId: existing?.id ?? null };
      await deactivate(session, existing);
      return { result: 'deactivated', scimId: existing.id };
    case 'provision':
      return provision(deps, target, session, desired!, keys.externalId, existing, account!);
  }
}

async function provision(
  deps: ScimSyncDependencies,
  target: ScimTarget,
  session: ScimSession,
  desired: DesiredAttribute[],
  externalId: string | undefined,
  existing: ScimResourceBody | null,
  account: DirectoryUser,
): Promise<{ result: Result; scimId: string }> {
  let result: Result;
  let resource: ScimResourceBody;
  desired = await withManager(session, desired);
  if (!existing) {
    const created = await session.createUser(scimUserResource(desired));
    resource = created.resource;
    if (created.adopted) await session.updateUser(resource, diffScimUser(resource, desired));
    result = created.adopted ? 'adopted' : 'created';
  } else {
    resource = existing;
    const operations = diffScimUser(existing, desired);
    await session.updateUser(existing, operations);
    // A match that does not carry our externalId was made by someone else (or matched on userName): adopted.
    const ours = externalId === undefined || sameScimValue(field(existing, 'externalId'), externalId);
    result = !ours ? 'adopted' : operations.length ? 'updated' : 'unchanged';
  }
  const groupsChanged = await pushGroups(deps, target, session, account.id, resource.id);
  if (groupsChanged && result === 'unchanged') result = 'updated';
  return { result, scimId: resource.id };
}

/** The person mapped with the target's mapping. */
async function desiredUser(
  session: ScimSession,
  target: ScimTarget,
  record: WorkerRecord,
  account: DirectoryUser,
): Promise<DesiredAttribute[]> {
  const { booleanPaths, userExtensions } = await session.capabilities();
  const desired = desiredAttributes(compileScimMapping(target.mapping, booleanPaths), scimPersonData(record, account));
  return desired.filter((d) => !d.path.schema || !userExtensions || userExtensions.has(d.path.schema.toLowerCase()));
}

/**
 * The enterprise manager's value is the manager's id in the target (RFC 7643 §4.3): the employee id the mapping
 * gives is looked up by externalId; a manager not (yet) in the target is left out, so the attribute is not touched.
 */
async function withManager(session: ScimSession, desired: DesiredAttribute[]): Promise<DesiredAttribute[]> {
  const managerIndex = desired.findIndex((d) => d.path.text.toLowerCase() === MANAGER_PATH.toLowerCase());
  const managerEmployeeId = text(desired[managerIndex]?.value);
  if (managerIndex === -1 || managerEmployeeId === undefined) return desired;
  const manager = await session.findUser({ externalId: managerEmployeeId });
  if (!manager) return desired.filter((_, i) => i !== managerIndex);
  return desired.map((d, i) => (i === managerIndex ? { ...d, value: manager.id } : d));
}

/** Groups the target pushes: the person joins the ones they are in (created when missing) and leaves the others. */
async function pushGroups(
  deps: ScimSyncDependencies,
  target: ScimTarget,
  session: ScimSession,
  userId: string,
  scimId: string,
): Promise<boolean> {
  if (target.groups === 'none') return false;
  // Entra pushes groups only to targets that take PATCH (use-scim-to-provision-users-and-groups, groups).
  if (!(await session.capabilities()).patch) return false;
  const { member, notMember } = scimGroupMemberships(target.groups, await deps.directory.listMemberships(userId));
  let changed = false;
  for (const displayName of member) {
    const group = await session.findGroup(displayName);
    if (!group) {
      await session.createGroup(displayName, [scimId]);
      changed = true;
    } else if (!memberIds(group).includes(scimId)) {
      await session.patchGroupMembers(group.id, [scimId], []);
      changed = true;
    }
  }
  for (const displayName of notMember) {
    const group = await session.findGroup(displayName);
    if (group && memberIds(group).includes(scimId)) {
      await session.patchGroupMembers(group.id, [], [scimId]);
      changed = true;
    }
  }
  return changed;
}

function memberIds(group: ScimResourceBody): string[] {
  const members = field(group, 'members');
  if (!Array.isArray(members)) return [];
  return members.flatMap((m) => {
    const value = (m as Record<string, unknown> | null)?.value;
    return typeof value === 'string' || typeof value === 'number' ? [String(value)] : [];
  });
}

async function deactivate(session: ScimSession, existing: ScimResourceBody): Promise<void> {
  await session.updateUser(existing, [{ op: 'replace', path: 'active', value: false }]);
}

/** `active` missing counts as active (RFC 7643 §4.1.1 leaves its default to the provider; most default to true). */
function isActive(resource: ScimResourceBody): boolean {
  return !sameScimValue(field(resource, 'active'), false);
}

function field(resource: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : resource[key];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
