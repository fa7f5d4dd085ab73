import SCIMMY from 'scimmy';
import { equalities, matchFilter } from './filter';
import type { ScimResourceType, ScimStore, StoredResource } from './store';
import type { ScimTargetDefinition } from './targets';

/**
 * scimmy ships the SCIM schemas, PATCH engine, filters and list responses but no persistence: these are the
 * resource handlers (ingress = create/replace, egress = read/query, degress = delete) over the ScimStore.
 *
 * scimmy keeps its declared resources in a process-wide registry, so the handlers are declared once and find
 * the target they serve in the context the router passes them (`ScimRequestContext`).
 */
export interface ScimRequestContext {
  readonly target: ScimTargetDefinition;
  readonly store: ScimStore;
}

/** What a handler receives as `resource`: the id of the URL, the query's filter and paging. */
interface ResourceRequest {
  id?: string;
  filter?: InstanceType<typeof SCIMMY.Types.Filter>;
  constraints?: { startIndex?: number; count?: number; totalResults?: number };
}

let declared = false;

/**
 * The handlers return plain stored documents; scimmy coerces whatever a handler returns through the resource's
 * schema before it is sent, hence the casts to the handler types (`as never`).
 */
export function declareScimResources(): void {
  if (declared) return;
  declared = true;
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
    .ingress((resource, instance, ctx) => ingress('User', resource, instance, ctx) as never)
    .egress((resource, ctx) => egress('User', resource, ctx) as never)
    .degress((resource, ctx) => degress('User', resource, ctx));
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance, ctx) => ingress('Group', resource, instance, ctx) as never)
    .egress((resource, ctx) => egress('Group', resource, ctx) as never)
    .degress((resource, ctx) => degress('Group', resource, ctx));
}

function contextOf(ctx: unknown): ScimRequestContext {
  const candidate = ctx as Partial<ScimRequestContext> | undefined;
  if (!candidate?.store || !candidate.target) throw new SCIMMY.Types.Error(500, null!, 'no target in the SCIM context');
  return candidate as ScimRequestContext;
}

/** The resource as the target answers it: the stored attributes plus the server-owned id and meta. */
function present(stored: StoredResource, target: ScimTargetDefinition): Record<string, unknown> {
  return {
    ...stored.attributes,
    id: stored.id,
    meta: {
      resourceType: stored.type,
      created: stored.created,
      lastModified: stored.lastModified,
      // RFC 7644 §3.14: a weak entity tag that changes with every modification of the resource.
      ...(target.etag ? { version: `W/"${stored.version}"` } : {}),
    },
  };
}

function ingress(type: ScimResourceType, resource: ResourceRequest, instance: unknown, ctx: unknown): object {
  const { target, store } = contextOf(ctx);
  // A JSON copy of scimmy's coerced instance drops its getters/setters; id, schemas and meta are the server's.
  const {
    id: _id,
    meta: _meta,
    schemas,
    ...attributes
  } = JSON.parse(JSON.stringify(instance)) as Record<string, unknown>;
  if (Array.isArray(schemas)) attributes.schemas = schemas;
  if (resource.id !== undefined && !store.get(target.id, type, resource.id))
    throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
  if (type === 'User') assertUniqueUserName(store, target, attributes.userName, resource.id);
  if (type === 'Group') assertMembersExist(store, target, attributes.members);
  return present(store.save(target.id, type, attributes, resource.id), target);
}

/** RFC 7644 §3.3 / §3.5.1: a userName already taken (case-insensitively, RFC 7643 §4.1.1) is 409 `uniqueness`. */
function assertUniqueUserName(store: ScimStore, target: ScimTargetDefinition, userName: unknown, id?: string): void {
  if (typeof userName !== 'string') return;
  const holder = store.listByName(target.id, 'User', userName).find((u) => u.id !== id);
  if (holder) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName '${userName}' is already in use`);
}

/**
 * RFC 7643 §4.2: `members.value` is the id of a User or Group of this service provider. A reference to nothing is
 * refused 400 `invalidValue` (RFC 7644 §3.12) rather than stored, as a service keeping referential integrity does.
 */
function assertMembersExist(store: ScimStore, target: ScimTargetDefinition, members: unknown): void {
  if (!Array.isArray(members)) return;
  for (const member of members as { value?: unknown }[]) {
    const id = member.value;
    if (typeof id !== 'string' || (!store.get(target.id, 'User', id) && !store.get(target.id, 'Group', id)))
      throw new SCIMMY.Types.Error(400, 'invalidValue', `member '${String(id)}' is not a User or Group of this target`);
  }
}

function egress(type: ScimResourceType, resource: ResourceRequest, ctx: unknown): object | object[] {
  const { target, store } = contextOf(ctx);
  if (resource.id !== undefined) {
    const stored = store.get(target.id, type, resource.id);
    // RFC 7644 §3.4.1 / §3.12: an unknown id is 404 with a SCIM error.
    if (!stored) throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id} not found`);
    return present(stored, target);
  }
  const { resources: found, exact } = candidatesFor(store, target, type, resource);
  const candidates = found.map((s) => present(s, target));
  const matches = resource.filter && !exact ? matchFilter(resource.filter, candidates) : candidates;
  // RFC 7644 §3.4.2.4: a startIndex past the last result is an empty page that still gives totalResults.
  // scimmy's ListResponse would return the whole list then, so the empty page is made here.
  const startIndex = resource.constraints?.startIndex ?? 1;
  if (resource.constraints && startIndex > matches.length) {
    resource.constraints.totalResults = matches.length;
    return [];
  }
  return matches;
}

/**
 * An `eq` look-up on userName / displayName (case-insensitive) or externalId (exact), or several joined by `or`, is
 * answered by the indexes: one equality's rows are exactly its matches (`exact`); the union of several is matched
 * after like any candidates. Other filters scan the target and are matched after.
 */
function candidatesFor(
  store: ScimStore,
  target: ScimTargetDefinition,
  type: ScimResourceType,
  resource: ResourceRequest,
): { resources: StoredResource[]; exact: boolean } {
  const nameAttribute = type === 'User' ? 'username' : 'displayname';
  const compared = resource.filter && equalities(resource.filter);
  if (!compared || !compared.every((c) => c.attribute === nameAttribute || c.attribute === 'externalid'))
    return { resources: store.list(target.id, type), exact: false };
  const byId = new Map<string, StoredResource>();
  for (const { attribute, value } of compared) {
    const rows =
      attribute === nameAttribute
        ? store.listByName(target.id, type, value)
        : store.listByExternalId(target.id, type, value);
    for (const row of rows) byId.set(row.id, row);
  }
  return { resources: [...byId.values()], exact: compared.length === 1 };
}

function degress(type: ScimResourceType, resource: ResourceRequest, ctx: unknown): void {
  const { target, store } = contextOf(ctx);
  // RFC 7644 §3.6: deleting an unknown resource is 404.
  if (!resource.id || !store.delete(target.id, type, resource.id))
    throw new SCIMMY.Types.Error(404, null!, `Resource ${resource.id ?? ''} not found`);
}
