import type { ScimCall } from '../../ports/scim-sync';
import type { ScimTarget } from '../../domain/policy';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../domain/scim-path';
import { ListResponseBody, ResourceTypeBody, SchemaBody, ServiceProviderConfigBody } from './scim-responses';
import type { ScimResponse, ScimTransport } from './scim-transport';

/** What a target can do, as discovered (RFC 7644 §4) and corrected by the policy's overrides. */
export interface ScimCapabilities {
  patch: boolean;
  filter: boolean;
  etag: boolean;
  /** Members per group PATCH: 100, or fewer when the server's bulk.maxOperations says so. */
  maxMembersPerPatch: number;
  usersEndpoint: string;
  groupsEndpoint: string;
  /** User attribute paths (lower-case) the target's /Schemas declare boolean. */
  booleanPaths: Set<string>;
  /**
   * Extension schemas the target's User takes (lower-case), from /ResourceTypes or /Schemas; null when it says
   * nothing. A mapped attribute of an extension it does not take is not sent: the server would drop it and every
   * later sync would PATCH it again (or be refused with 400 invalidPath).
   */
  userExtensions: Set<string> | null;
}

const MEMBERS_PER_PATCH = 100;

/**
 * Reads /ServiceProviderConfig, /Schemas and /ResourceTypes. A missing endpoint (404, 501, a non-JSON page) means
 * "assume RFC 7644 defaults" (PATCH and filter supported, no ETags, /Users and /Groups), since many targets serve
 * none of them; a 429/5xx or a refused credential is an error like any other call's.
 */
export async function discoverCapabilities(
  transport: ScimTransport,
  trail: ScimCall[],
  overrides: ScimTarget['overrides'],
): Promise<ScimCapabilities> {
  const config = ServiceProviderConfigBody.safeParse(
    (await optional(transport, trail, '/ServiceProviderConfig'))?.body,
  );
  const spc = config.success ? config.data : undefined;
  const schemas = listOf((await optional(transport, trail, '/Schemas'))?.body)
    .map((entry) => SchemaBody.safeParse(entry))
    .flatMap((r) => (r.success ? [r.data] : []));
  const resourceTypes = listOf((await optional(transport, trail, '/ResourceTypes'))?.body)
    .map((entry) => ResourceTypeBody.safeParse(entry))
    .flatMap((r) => (r.success ? [r.data] : []));
  const endpoint = (name: string, fallback: string): string => {
    const found = resourceTypes.find((t) => t.name?.toLowerCase() === name.toLowerCase())?.endpoint;
    return found ? `/${found.replace(/^\/+/, '')}` : fallback;
  };
  const maxOperations = spc?.bulk?.supported ? spc.bulk.maxOperations : undefined;
  return {
    patch: overrides.patch ?? spc?.patch?.supported ?? true,
    filter: overrides.filter ?? spc?.filter?.supported ?? true,
    etag: overrides.etag ?? spc?.etag?.supported ?? false,
    maxMembersPerPatch:
      maxOperations && maxOperations > 0 ? Math.min(MEMBERS_PER_PATCH, maxOperations) : MEMBERS_PER_PATCH,
    usersEndpoint: endpoint('User', '/Users'),
    groupsEndpoint: endpoint('Group', '/Groups'),
    booleanPaths: booleanUserPaths(schemas),
    userExtensions: userExtensions(resourceTypes, schemas),
  };
}

async function optional(transport: ScimTransport, trail: ScimCall[], path: string): Promise<ScimResponse | null> {
  const response = await transport.send(trail, 'GET', path);
  if (response.status >= 200 && response.status < 300) return response;
  const unavailable = response.status === 429 || (response.status >= 500 && response.status !== 501);
  if (unavailable || response.status === 401 || response.status === 403) throw transport.failure('GET', path, response);
  return null;
}

/** /Schemas and /ResourceTypes answer a ListResponse; some servers answer a bare array. */
function listOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const list = ListResponseBody.safeParse(body);
  return list.success ? (list.data.Resources ?? []) : [];
}

function userExtensions(
  resourceTypes: { name?: string | undefined; schemaExtensions?: { schema: string }[] | null | undefined }[],
  schemas: SchemaBody[],
): Set<string> | null {
  const user = resourceTypes.find((t) => t.name?.toLowerCase() === 'user');
  if (user) return new Set((user.schemaExtensions ?? []).map((e) => e.schema.toLowerCase()));
  if (schemas.length) return new Set(schemas.map((s) => s.id.toLowerCase()));
  return null;
}

function booleanUserPaths(schemas: SchemaBody[]): Set<string> {
  const paths = new Set<string>();
  for (const schema of schemas) {
    const isCore = schema.id.toLowerCase() === CORE_USER_SCHEMA.toLowerCase();
    const isUserExtension =
      schema.id.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase() || /:User$/i.test(schema.id);
    if (!isCore && !isUserExtension) continue;
    const prefix = isCore ? '' : `${schema.id}:`;
    for (const attribute of schema.attributes ?? []) {
      if (!attribute.name) continue;
      if (attribute.type?.toLowerCase() === 'boolean') paths.add(`${prefix}${attribute.name}`.toLowerCase());
      for (const sub of attribute.subAttributes ?? [])
        if (sub.name && sub.type?.toLowerCase() === 'boolean')
          paths.add(`${prefix}${attribute.name}.${sub.name}`.toLowerCase());
    }
  }
  return paths;
}
