import type { ScimTarget } from '../../domain/policy';
import { chunked } from '../../domain/scim-decision';
import { applyScimPatch, PATCH_OP_SCHEMA, type PatchOperation } from '../../domain/scim-patch';
import type { ScimResource } from '../../domain/scim-path';
import type { ScimCall } from '../../ports/scim-sync';
import { discoverCapabilities, type ScimCapabilities } from './scim-discovery';
import { ScimRequestError } from './scim-error';
import { ListResponseBody, ScimResourceBody } from './scim-responses';
import type { ScimResponse, ScimTransport } from './scim-transport';

const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** Discovery is read again after this long (a target's capabilities rarely change; a deploy may change them). */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** Items per page when a target without filtering is searched (RFC 7644 §3.4.2.4 startIndex/count). */
const PAGE_SIZE = 100;
/**
 * People per look-up request of findUsers: 20 comparisons, a URL of about 2 KB (servers commonly cap the request
 * line at 8 KB), and at most 41 resources in the answer.
 */
export const LOOKUP_CHUNK = 10;
/** A target listing more users than this without a filter is not searched further. */
const MAX_PAGES = 500;

/**
 * One SCIM target as the app reaches it: transport and discovery, cached per target for the process. Each sync
 * opens a session that records its own calls.
 */
export class ScimConnection {
  private discovered: { capabilities: ScimCapabilities; at: number } | null = null;
  /** The discovery under way: syncs that start together wait for one, instead of each reading the target's 3 docs. */
  private discovering: Promise<ScimCapabilities> | null = null;

  constructor(
    readonly target: ScimTarget,
    readonly transport: ScimTransport,
  ) {}

  async capabilities(trail: ScimCall[]): Promise<ScimCapabilities> {
    if (this.discovered && Date.now() - this.discovered.at < DISCOVERY_TTL_MS) return this.discovered.capabilities;
    this.discovering ??= discoverCapabilities(this.transport, trail, this.target.overrides)
      .then((capabilities) => {
        this.discovered = { capabilities, at: Date.now() };
        return capabilities;
      })
      .finally(() => {
        this.discovering = null;
      });
    return this.discovering;
  }

  /** A target that refused a filter joining two comparisons with `or`: one filter per attribute from now on. */
  orFilterRefused = false;

  /** A target that refused PATCH although discovery said it takes it: PUT from now on (until rediscovery). */
  patchRefused(): void {
    if (this.discovered) this.discovered.capabilities.patch = false;
  }

  session(): ScimSession {
    return new ScimSession(this);
  }
}

const ok = (response: ScimResponse): boolean => response.status >= 200 && response.status < 300;

/** The resource's `attribute` (name matched case-insensitively, RFC 7643 §2.1) is `value`. */
function sameText(resource: ScimResourceBody, attribute: string, value: string, caseExact: boolean): boolean {
  const held = Object.entries(resource).find(([k]) => k.toLowerCase() === attribute.toLowerCase())?.[1];
  if (typeof held !== 'string') return false;
  return caseExact ? held === value : held.toLowerCase() === value.toLowerCase();
}

/** RFC 7644 §3.4.2.2: filter values are JSON strings. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/** The calls one sync makes to one target. Methods throw ScimRequestError; they never wait or retry. */
export class ScimSession {
  readonly calls: ScimCall[] = [];

  constructor(private readonly connection: ScimConnection) {}

  private get transport(): ScimTransport {
    return this.connection.transport;
  }

  capabilities(): Promise<ScimCapabilities> {
    return this.connection.capabilities(this.calls);
  }

  private resource(method: string, path: string, response: ScimResponse): ScimResourceBody {
    const parsed = ScimResourceBody.safeParse(response.body);
    if (!parsed.success)
      throw new ScimRequestError(response.status, false, null, `${method} ${path}: the answer is not a SCIM resource`);
    return parsed.data;
  }

  /**
   * Resources of `endpoint` whose `attribute` is `value`: with `filter=attribute eq "value"`, or page by page
   * (startIndex/count) when the target cannot filter or refuses the filter. Hits are checked here too: a server
   * that ignores the filter and lists everyone does not adopt the wrong user.
   */
  private async query(
    endpoint: string,
    attribute: string,
    value: string,
    caseExact: boolean,
    scan = false,
  ): Promise<ScimResourceBody[]> {
    const capabilities = await this.capabilities();
    const matches = (resource: ScimResourceBody): boolean => sameText(resource, attribute, value, caseExact);
    if (capabilities.filter && !scan) {
      const path = `${endpoint}?filter=${encodeURIComponent(`${attribute} eq ${quoted(value)}`)}`;
      const response = await this.transport.send(this.calls, 'GET', path);
      // 400 invalidFilter / 501: the target does not filter after all; search the pages instead.
      if (ok(response)) return this.listed('GET', path, response).filter(matches);
      if (response.status !== 400 && response.status !== 501 && response.status !== 403)
        throw this.transport.failure('GET', path, response);
    }
    const found: ScimResourceBody[] = [];
    for (let page = 0, startIndex = 1; page < MAX_PAGES; page++) {
      const path = `${endpoint}?startIndex=${startIndex}&count=${PAGE_SIZE}`;
      const response = await this.transport.send(this.calls, 'GET', path);
      if (!ok(response)) throw this.transport.failure('GET', path, response);
      const list = ListResponseBody.safeParse(response.body);
      if (!list.success) throw new ScimRequestError(response.status, false, null, `GET ${path}: not a ListResponse`);
      const resources = this.listed('GET', path, response);
      found.push(...resources.filter(matches));
      startIndex += resources.length;
      const total = list.data.totalResults;
      if (resources.length === 0 || (total !== undefined && startIndex > total)) break;
    }
    return found;
  }

  /**
   * The users whose userName or externalId is the one given, in one request (`filter=userName eq "a" or externalId
   * eq "b"`, RFC 7644 §3.4.2.2 logical operators) instead of one per attribute; null when the target refuses the
   * filter (400 invalidFilter, 501, 403), which is remembered: the look-up then takes one filter per attribute.
   */
  private async queryEither(
    endpoint: string,
    userName: string,
    externalId: string,
  ): Promise<ScimResourceBody[] | null> {
    const expression = `userName eq ${quoted(userName)} or externalId eq ${quoted(externalId)}`;
    const path = `${endpoint}?filter=${encodeURIComponent(expression)}`;
    const response = await this.transport.send(this.calls, 'GET', path);
    if (ok(response)) return this.listed('GET', path, response);
    this.orFilterRefused(path, response);
    return null;
  }

  /**
   * A look-up joining comparisons with `or` was not answered: a refusal of the filter (400 invalidFilter, 501, 403)
   * is remembered, and look-ups then take one filter per attribute; any other failure is thrown.
   */
  private orFilterRefused(path: string, response: ScimResponse): void {
    if (response.status !== 400 && response.status !== 501 && response.status !== 403)
      throw this.transport.failure('GET', path, response);
    this.connection.orFilterRefused = true;
  }

  /** Every user of the target, page by page (RFC 7644 §3.4.2.4), for the reconcile's comparison. */
  async listUsers(): Promise<ScimResourceBody[]> {
    const users: ScimResourceBody[] = [];
    for (let page = 0, startIndex = 1; page < MAX_PAGES; page++) {
      const path = `/Users?startIndex=${startIndex}&count=${PAGE_SIZE}`;
      const response = await this.transport.send(this.calls, 'GET', path);
      if (!ok(response)) throw this.transport.failure('GET', path, response);
      const total = ListResponseBody.safeParse(response.body).data?.totalResults;
      const resources = this.listed('GET', path, response);
      users.push(...resources);
      startIndex += resources.length;
      if (resources.length === 0 || (total !== undefined && startIndex > total)) break;
    }
    return users;
  }

  private listed(method: string, path: string, response: ScimResponse): ScimResourceBody[] {
    const list = ListResponseBody.safeParse(response.body);
    if (!list.success)
      throw new ScimRequestError(response.status, false, null, `${method} ${path}: not a ListResponse`);
    return (list.data.Resources ?? []).map((entry) => {
      const parsed = ScimResourceBody.safeParse(entry);
      if (!parsed.success)
        throw new ScimRequestError(response.status, false, null, `${method} ${path}: a listed resource has no id`);
      return parsed.data;
    });
  }

  private single(resources: ScimResourceBody[], what: string): ScimResourceBody | null {
    if (resources.length > 1)
      throw new ScimRequestError(null, false, null, `${resources.length} users in the target match ${what}`);
    return resources[0] ?? null;
  }

  /**
   * The user by userName (not case-exact, RFC 7643 §4.1.1), else by externalId (case-exact). `scan`: page through
   * the users instead of filtering (after a 409 the filter did not explain: some servers filter case-sensitively).
   */
  async findUser(
    keys: { userName?: string | undefined; externalId?: string | undefined },
    scan = false,
  ): Promise<ScimResourceBody | null> {
    const { usersEndpoint, filter } = await this.capabilities();
    if (keys.userName && keys.externalId && filter && !scan && !this.connection.orFilterRefused) {
      const either = await this.queryEither(usersEndpoint, keys.userName, keys.externalId);
      if (either) {
        return this.match(either, { userName: keys.userName, externalId: keys.externalId });
      }
    }
    if (keys.userName) {
      const byName = await this.query(usersEndpoint, 'userName', keys.userName, false, scan);
      const hit = this.single(byName, `userName ${keys.userName}`);
      if (hit) return hit;
    }
    if (keys.externalId) {
      const byId = await this.query(usersEndpoint, 'externalId', keys.externalId, true, scan);
      return this.single(byId, `externalId ${keys.externalId}`);
    }
    return null;
  }

  /**
   * findUser for many people in few requests: one `or` filter per LOOKUP_CHUNK people (`userName eq "a" or
   * externalId eq "A" or userName eq "b" ...`, RFC 7644 §3.4.2.2), each hit matched to its person here, exactly
   * as findUser decides (userName first, not case-exact; then externalId, case-exact; two matches are an error for
   * that person only). Null when the target cannot take it (no filter, `or` refused): look up one by one then.
   * A chunk whose answer may be incomplete (fewer Resources than totalResults: a server that pages or ignores
   * the filter) is left undecided (undefined) for its people, who are looked up one by one.
   */
  async findUsers(
    keys: readonly { userName: string; externalId: string }[],
  ): Promise<(ScimResourceBody | null | ScimRequestError | undefined)[] | null> {
    const { usersEndpoint, filter } = await this.capabilities();
    if (!filter || this.connection.orFilterRefused) return null;
    const found: (ScimResourceBody | null | ScimRequestError | undefined)[] = [];
    for (let start = 0; start < keys.length; start += LOOKUP_CHUNK) {
      const chunk = keys.slice(start, start + LOOKUP_CHUNK);
      const expression = chunk
        .map((k) => `userName eq ${quoted(k.userName)} or externalId eq ${quoted(k.externalId)}`)
        .join(' or ');
      const path = `${usersEndpoint}?filter=${encodeURIComponent(expression)}&count=${LOOKUP_CHUNK * 2 + 1}`;
      const response = await this.transport.send(this.calls, 'GET', path);
      if (!ok(response)) {
        this.orFilterRefused(path, response);
        return null;
      }
      const listed = this.listed('GET', path, response);
      const total = ListResponseBody.safeParse(response.body).data?.totalResults;
      const complete = total === undefined || total <= listed.length;
      for (const k of chunk) found.push(complete ? this.matchOrError(listed, k) : undefined);
    }
    return found;
  }

  /** The person's user among listed ones, as findUser decides: userName first (not case-exact), then externalId. */
  private match(listed: ScimResourceBody[], keys: { userName: string; externalId: string }): ScimResourceBody | null {
    const hit = this.single(
      listed.filter((r) => sameText(r, 'userName', keys.userName, false)),
      `userName ${keys.userName}`,
    );
    return (
      hit ??
      this.single(
        listed.filter((r) => sameText(r, 'externalId', keys.externalId, true)),
        `externalId ${keys.externalId}`,
      )
    );
  }

  /** match, with an ambiguous match returned as that person's error rather than thrown for the whole chunk. */
  private matchOrError(
    listed: ScimResourceBody[],
    keys: { userName: string; externalId: string },
  ): ScimResourceBody | null | ScimRequestError {
    try {
      return this.match(listed, keys);
    } catch (error) {
      if (error instanceof ScimRequestError) return error;
      throw error;
    }
  }

  /**
   * POST the user. 201 is due (RFC 7644 §3.3); 200 is taken as created too. 409 (uniqueness) means it exists:
   * it is looked up and adopted. An answer without an id is looked up by userName.
   */
  async createUser(resource: ScimResource): Promise<{ resource: ScimResourceBody; adopted: boolean }> {
    const { usersEndpoint } = await this.capabilities();
    const response = await this.transport.send(this.calls, 'POST', usersEndpoint, { body: resource });
    const keys = {
      userName: typeof resource.userName === 'string' ? resource.userName : undefined,
      externalId: typeof resource.externalId === 'string' ? resource.externalId : undefined,
    };
    if (ok(response)) {
      const created = ScimResourceBody.safeParse(response.body);
      if (created.success) return { resource: created.data, adopted: false };
      const found = await this.findUser(keys);
      if (found) return { resource: found, adopted: false };
      throw new ScimRequestError(
        response.status,
        false,
        null,
        `POST ${usersEndpoint}: created, but no id to find it by`,
      );
    }
    if (response.status === 409) {
      const { filter } = await this.capabilities();
      const found = (await this.findUser(keys)) ?? (filter ? await this.findUser(keys, true) : null);
      if (found) return { resource: found, adopted: true };
    }
    throw this.transport.failure('POST', usersEndpoint, response);
  }

  /**
   * Applies the operations: PATCH (RFC 7644 §3.5.2), or PUT of the whole resource (the existing one with the
   * operations applied, §3.5.1) when the target takes no PATCH. With ETags, If-Match carries the version read.
   */
  async updateUser(existing: ScimResourceBody, operations: PatchOperation[]): Promise<void> {
    if (!operations.length) return;
    const capabilities = await this.capabilities();
    const path = `${capabilities.usersEndpoint}/${encodeURIComponent(existing.id)}`;
    const version = existing.meta?.version;
    const headers: Record<string, string> = capabilities.etag && version ? { 'if-match': version } : {};
    if (capabilities.patch) {
      const body = { schemas: [PATCH_OP_SCHEMA], Operations: operations };
      const response = await this.transport.send(this.calls, 'PATCH', path, { body, headers });
      if (ok(response)) return;
      if (response.status !== 405 && response.status !== 501) throw this.updateFailure('PATCH', path, response);
      this.connection.patchRefused();
    }
    const { meta: _meta, ...held } = existing;
    const body = applyScimPatch(held, operations);
    const response = await this.transport.send(this.calls, 'PUT', path, { body, headers });
    if (!ok(response)) throw this.updateFailure('PUT', path, response);
  }

  /** 412: the resource changed since it was read (RFC 7644 §3.14); reading it again and retrying is the fix. */
  private updateFailure(method: string, path: string, response: ScimResponse): ScimRequestError {
    const failure = this.transport.failure(method, path, response);
    if (response.status !== 412) return failure;
    return new ScimRequestError(412, true, null, failure.detail);
  }

  /** DELETE; a 404 means it is already gone. */
  async deleteUser(id: string): Promise<'deleted' | 'absent'> {
    const { usersEndpoint } = await this.capabilities();
    const path = `${usersEndpoint}/${encodeURIComponent(id)}`;
    const response = await this.transport.send(this.calls, 'DELETE', path);
    if (ok(response)) return 'deleted';
    if (response.status === 404) return 'absent';
    throw this.transport.failure('DELETE', path, response);
  }

  /** The group by displayName (group display names are unique in a target Entra provisions). */
  async findGroup(displayName: string): Promise<ScimResourceBody | null> {
    const { groupsEndpoint } = await this.capabilities();
    const hits = await this.query(groupsEndpoint, 'displayName', displayName, false);
    if (hits.length > 1)
      throw new ScimRequestError(null, false, null, `${hits.length} groups are named ${displayName}`);
    return hits[0] ?? null;
  }

  /** POST the group with its first members; 409 means it exists: it is looked up. */
  async createGroup(displayName: string, memberIds: string[]): Promise<{ group: ScimResourceBody; created: boolean }> {
    const { groupsEndpoint } = await this.capabilities();
    const body = { schemas: [GROUP_SCHEMA], displayName, members: memberIds.map((value) => ({ value })) };
    const response = await this.transport.send(this.calls, 'POST', groupsEndpoint, { body });
    if (ok(response)) {
      const created = ScimResourceBody.safeParse(response.body);
      if (created.success) return { group: created.data, created: true };
    }
    if (ok(response) || response.status === 409) {
      const found = await this.findGroup(displayName);
      if (found) return { group: found, created: ok(response) };
    }
    throw this.transport.failure('POST', groupsEndpoint, response);
  }

  /**
   * Adds and removes members with PATCH, at most `maxMembersPerPatch` (100, or the server's bulk maxOperations)
   * members per request; removals name the member in the path (RFC 7644 §3.5.2.2 `members[value eq "..."]`).
   */
  async patchGroupMembers(groupId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    const { groupsEndpoint, maxMembersPerPatch } = await this.capabilities();
    const path = `${groupsEndpoint}/${encodeURIComponent(groupId)}`;
    const changes = [
      ...add.map((id) => ({ op: 'add' as const, id })),
      ...remove.map((id) => ({ op: 'remove' as const, id })),
    ];
    for (const chunk of chunked(changes, maxMembersPerPatch)) {
      const adds = chunk.filter((c) => c.op === 'add').map((c) => ({ value: c.id }));
      const operations: PatchOperation[] = [
        ...(adds.length ? [{ op: 'add' as const, path: 'members', value: adds }] : []),
        ...chunk
          .filter((c) => c.op === 'remove')
          .map((c) => ({ op: 'remove' as const, path: `members[value eq ${quoted(c.id)}]` })),
      ];
      const response = await this.transport.send(this.calls, 'PATCH', path, {
        body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      });
      if (!ok(response)) throw this.transport.failure('PATCH', path, response);
    }
  }
}
