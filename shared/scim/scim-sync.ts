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
import { LOOKUP_CHUNK, type ScimConnection, type ScimSession } from '../adapters/scim/scim-client';
import { ScimRequestError } from '../adapters/scim/scim-error';
import type { ScimResourceBody } from '../adapters/scim/scim-responses';
import type { Directory, DirectoryUser } from '../ports/directory';
import { ScimSyncRequest, type ScimListedUser, type ScimSync, type ScimSyncOutcome } from '../ports/scim-sync';

export interface ScimSyncDependencies {
  policy: () => Policy;
  directory: Pick<Directory, 'getUser' | 'getUsers' | 'listMemberships'>;
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
    sync: async (request) => (await syncRound(dependencies, [ScimSyncRequest.parse(request)]))[0]!,
    syncMany: (requests) =>
      syncRound(
        dependencies,
        requests.map((request) => ScimSyncRequest.parse(request)),
      ),
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

/** A request ready to be applied: its target, account and mapped user, and the keys to look the user up by. */
interface Prepared {
  request: ScimSyncRequest;
  target: ScimTarget;
  account: DirectoryUser | null;
  session: ScimSession;
  disposition: ReturnType<typeof scimDisposition>;
  desired: DesiredAttribute[] | null;
  keys: { userName?: string | undefined; externalId?: string | undefined };
}

/** What the round's shared look-up found for one person: undefined when it did not decide (look up alone). */
type Prefetched = ScimResourceBody | null | ScimRequestError | undefined;

/**
 * Brings each person in their target to what the policy says. Requests of one target (a round of the target's
 * sender) share their look-ups: one `or` filter for ten people (ScimSession.findUsers) instead of one request
 * each; the rest (create, patch, groups) is per person, in parallel within the target's concurrency.
 */
async function syncRound(deps: ScimSyncDependencies, requests: ScimSyncRequest[]): Promise<ScimSyncOutcome[]> {
  const policy = deps.policy();
  // The round's accounts in one directory round trip ($batch of `id in` filters) rather than one read each.
  const ids = requests.flatMap((r) => (r.userId ? [r.userId] : []));
  const accounts = ids.length > 1 ? await deps.directory.getUsers(ids) : null;
  const prepared = await Promise.all(requests.map((request) => prepare(deps, policy, request, accounts)));
  const prefetched = new Map<Prepared, { found: Prefetched; calls: ScimSession['calls'] }>();
  const ready = prepared.filter((p): p is Prepared => !('ok' in p));
  if (requests.length > 1) {
    const chunks: Prepared[][] = [];
    for (const target of new Set(ready.map((p) => p.target))) {
      const group = ready.filter((p) => p.target === target && p.keys.userName && p.keys.externalId);
      if (group.length < 2) continue;
      for (let i = 0; i < group.length; i += LOOKUP_CHUNK) chunks.push(group.slice(i, i + LOOKUP_CHUNK));
    }
    // One look-up per chunk, in parallel (within the target's concurrency); each person's outcome names its own.
    await Promise.all(
      chunks.map(async (chunk) => {
        const lookup = deps.connection(chunk[0]!.target).session();
        let found: Prefetched[] | null;
        try {
          found = await lookup.findUsers(
            chunk.map((p) => ({ userName: p.keys.userName!, externalId: p.keys.externalId! })),
          );
        } catch (error) {
          if (!(error instanceof ScimRequestError)) throw error;
          // The target did not answer the look-up (throttled, down): each person's sync fails with that answer.
          found = chunk.map(() => error);
        }
        chunk.forEach((p, i) => prefetched.set(p, { found: found?.[i], calls: lookup.calls }));
      }),
    );
  }
  return Promise.all(prepared.map(async (p) => ('ok' in p ? p : apply(deps, p, prefetched.get(p)))));
}

async function prepare(
  deps: ScimSyncDependencies,
  policy: Policy,
  request: ScimSyncRequest,
  accounts: Map<string, DirectoryUser> | null,
): Promise<Prepared | ScimSyncOutcome> {
  const target = policy.scimTargets.find((t) => t.id === request.targetId);
  if (!target) {
    const detail = `no SCIM target "${request.targetId}" in policy ${policy.version}`;
    return failed(request.targetId, false, null, detail, []);
  }
  if (!target.enabled) return { ok: true, targetId: target.id, result: 'out-of-scope', scimId: null, calls: [] };
  const account = !request.userId
    ? null
    : accounts
      ? (accounts.get(request.userId) ?? null)
      : await deps.directory.getUser(request.userId);
  const session = deps.connection(target).session();
  try {
    const disposition = scimDisposition(request, target, policy, account);
    if (disposition.kind === 'invalid') throw new ScimRequestError(null, false, null, disposition.reason);
    const desired = request.record && account ? await desiredUser(session, target, request.record, account) : null;
    const keys = desired
      ? { userName: text(desiredValue(desired, 'userName')), externalId: text(desiredValue(desired, 'externalId')) }
      : { userName: account?.userPrincipalName, externalId: request.employeeId };
    return { request, target, account, session, disposition, desired, keys };
  } catch (error) {
    return failure(target.id, error, session.calls);
  }
}

async function apply(
  deps: ScimSyncDependencies,
  prepared: Prepared,
  prefetched: { found: Prefetched; calls: ScimSession['calls'] } | undefined,
): Promise<ScimSyncOutcome> {
  const { target, session } = prepared;
  const calls = () => [...(prefetched?.calls ?? []), ...session.calls];
  try {
    if (prefetched?.found instanceof ScimRequestError) throw prefetched.found;
    const existing = prefetched?.found !== undefined ? prefetched.found : await session.findUser(prepared.keys);
    const { result, scimId } = await decideAndApply(deps, prepared, existing);
    return { ok: true, targetId: target.id, result, scimId, calls: calls() };
  } catch (error) {
    return failure(target.id, error, calls());
  }
}

/** Target and setting errors as a failed outcome with every call made; anything else is thrown (a bug). */
function failure(targetId: string, error: unknown, calls: ScimSession['calls']): ScimSyncOutcome {
  if (error instanceof ScimRequestError)
    return {
      ...failed(targetId, error.retryable, error.status, error.detail, calls),
      retryAfterSeconds: error.retryAfterSeconds,
      retryAt:
        error.retryAfterSeconds === null
          ? null
          : new Date(error.answeredAt + error.retryAfterSeconds * 1000).toISOString(),
    };
  if (error instanceof ScimSettingError) return failed(targetId, false, null, `app setting ${error.message}`, calls);
  throw error;
}

function failed(
  targetId: string,
  retryable: boolean,
  status: number | null,
  detail: string,
  calls: ScimSession['calls'],
): Extract<ScimSyncOutcome, { ok: false }> {
  return { ok: false, targetId, retryable, status, retryAfterSeconds: null, detail, calls };
}

async function decideAndApply(
  deps: ScimSyncDependencies,
  prepared: Prepared,
  existing: ScimResourceBody | null,
): Promise<{ result: Result; scimId: string | null }> {
  const { target, session, disposition, desired, keys, account } = prepared;
  switch (disposition.kind) {
    case 'invalid':
      throw new ScimRequestError(null, false, null, disposition.reason);
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
