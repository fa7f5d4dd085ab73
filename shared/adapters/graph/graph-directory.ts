import { randomUUID } from 'node:crypto';
import {
  Client,
  GraphError,
  HTTPMessageHandler,
  MiddlewareFactory,
  RetryHandler,
  RetryHandlerOptions,
  type AuthenticationProvider,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import pino from 'pino';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type {
  Directory,
  DirectoryMembership,
  DirectoryUser,
  LicenceUsers,
  LicenseAssignmentState,
  TimeLimitedMembership,
  MailMessage,
  NewUser,
  RelationsResult,
  SubscribedSku,
  TemporaryAccessPass,
  TemporaryAccessPassPolicy,
  UserAttributes,
  UserRelationsChange,
} from '../../ports/directory';
import { graphAuthProvider, isTenantMode, localOrigin } from './auth';
import { cloudEndpoints } from './cloud';
import { equalityFilters, odataString, type EqualityTerm } from './equality-filters';
import { ConflictError, ForbiddenError, NotFoundError, graphErrorFrom } from './errors';
import { LICENCE_USER_SELECT, toLicenceUser, toSubscribedSku, toTimeLimitedMemberships } from './licence-reads';
import { membershipFrom } from './memberships';
import { RelationsBatcher, type BatchResults } from './relations-batcher';
import { DEFAULT_GRAPH_REQUEST_TIMEOUT_MS, GraphTimeoutError, withRequestTimeout } from './request-timeout';
import { noteGraphRequest } from './request-trail';
import { Semaphore } from './semaphore';
import { WriteBudget } from './write-budget';

/** PIM for Groups: the active assignments (members and owners) of groups governed by PIM. */
const PIM_GROUP_INSTANCES = '/identityGovernance/privilegedAccess/group/assignmentScheduleInstances';

/**
 * Directory port on Microsoft Graph v1.0 through @microsoft/microsoft-graph-client. The client's default
 * middleware retries 429/503 honouring Retry-After; items of a $batch are retried here the same way.
 * Relation changes of all concurrent callers are packed by RelationsBatcher: group additions per group in
 * members@odata.bind PATCHes of 20 (group-post-members), everything in $batch requests of ≤ 20 (json-batching).
 */
export const graphLog = pino(
  { base: { component: 'graph' }, level: process.env.ENTRA_JML_LOG_LEVEL ?? 'info' },
  pino.destination({ dest: 2, sync: false }),
);

const USER_SELECT = [
  'id',
  'userPrincipalName',
  'mailNickname',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'otherMails',
  'employeeId',
  'employeeType',
  'employeeHireDate',
  'employeeLeaveDateTime',
  'department',
  'jobTitle',
  'companyName',
  'officeLocation',
  'city',
  'country',
  'usageLocation',
  'accountEnabled',
  'deletedDateTime',
  'preferredLanguage',
  'mobilePhone',
  'businessPhones',
  'employeeOrgData',
  // Read back so a re-evaluation writes only extension attributes that differ (issue 23 item 3).
  'onPremisesExtensionAttributes',
].join(',');

const GraphUser = z
  .object({
    id: z.string(),
    userPrincipalName: z.string(),
    mailNickname: z.string().nullish(),
    displayName: z.string().nullish(),
    givenName: z.string().nullish(),
    surname: z.string().nullish(),
    mail: z.string().nullish(),
    otherMails: z.array(z.string()).nullish(),
    employeeId: z.string().nullish(),
    employeeType: z.string().nullish(),
    employeeHireDate: z.string().nullish(),
    employeeLeaveDateTime: z.string().nullish(),
    department: z.string().nullish(),
    jobTitle: z.string().nullish(),
    companyName: z.string().nullish(),
    officeLocation: z.string().nullish(),
    city: z.string().nullish(),
    country: z.string().nullish(),
    usageLocation: z.string().nullish(),
    accountEnabled: z.boolean().nullish(),
    deletedDateTime: z.string().nullish(),
    preferredLanguage: z.string().nullish(),
    mobilePhone: z.string().nullish(),
    businessPhones: z.array(z.string()).nullish(),
    employeeOrgData: z.object({ division: z.string().nullish(), costCenter: z.string().nullish() }).nullish(),
    onPremisesExtensionAttributes: z.record(z.string(), z.string().nullable()).nullish(),
  })
  .passthrough();

function toDirectoryUser(raw: unknown): DirectoryUser {
  const u = GraphUser.parse(raw);
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    mailNickname: u.mailNickname ?? '',
    displayName: u.displayName ?? '',
    givenName: u.givenName ?? null,
    surname: u.surname ?? null,
    mail: u.mail ?? null,
    otherMails: u.otherMails ?? [],
    employeeId: u.employeeId ?? null,
    employeeType: u.employeeType ?? null,
    employeeHireDate: u.employeeHireDate ?? null,
    employeeLeaveDateTime: u.employeeLeaveDateTime ?? null,
    department: u.department ?? null,
    jobTitle: u.jobTitle ?? null,
    companyName: u.companyName ?? null,
    officeLocation: u.officeLocation ?? null,
    city: u.city ?? null,
    country: u.country ?? null,
    mobilePhone: u.mobilePhone ?? null,
    businessPhones: u.businessPhones ?? [],
    employeeOrgData: u.employeeOrgData
      ? { division: u.employeeOrgData.division ?? null, costCenter: u.employeeOrgData.costCenter ?? null }
      : null,
    usageLocation: u.usageLocation ?? null,
    accountEnabled: u.accountEnabled ?? false,
    deletedDateTime: u.deletedDateTime ?? null,
    preferredLanguage: u.preferredLanguage ?? null,
    extensionAttributes: u.onPremisesExtensionAttributes ?? {},
  };
}

const Collection = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() });
const BatchResponse = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

export interface BatchItem {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  dependsOn?: string[];
}

const BATCH_LIMIT = 20;
const MAX_BATCH_RETRIES = 5;

/** Each candidate's UPN and mail nickname as equality terms (one `$filter` expression each). */
function candidateTerms(candidates: { userPrincipalName: string; mailNickname: string }[]): EqualityTerm[] {
  return [
    ...candidates.map((c) => ({ property: 'userPrincipalName', value: c.userPrincipalName })),
    ...candidates.map((c) => ({ property: 'mailNickname', value: c.mailNickname })),
  ];
}

/**
 * A nextLink as a path the client can request: what follows the version segment (Graph's links are absolute,
 * https://learn.microsoft.com/graph/paging; the emulator's point at the emulator).
 */
function pathOfNextLink(nextLink: string): string {
  const url = new URL(nextLink);
  const m = /\/(v1\.0|beta)(\/.*)$/.exec(url.pathname);
  if (!m) throw new Error(`unexpected @odata.nextLink ${nextLink}`);
  return `${m[2]}${url.search}`;
}

function attributesBody(attributes: UserAttributes): Record<string, unknown> {
  const { extensionAttributes, ...rest } = attributes;
  const body: Record<string, unknown> = { ...rest };
  if (extensionAttributes && Object.keys(extensionAttributes).length)
    body.onPremisesExtensionAttributes = extensionAttributes;
  return body;
}

export class GraphDirectory implements Directory {
  private readonly client: Client;
  private readonly limiter: Semaphore;
  /** Graph root that `@odata.id` references use. */
  private readonly refRoot: string;

  private readonly relations: RelationsBatcher;
  /** Writes sent in the last 150 s (Graph's budget window), so the batcher packs only under pressure. */
  private readonly writes = new WriteBudget();

  constructor(
    authProvider: AuthenticationProvider,
    baseUrl: string,
    concurrency: number,
    membershipWindowMs = 0,
    requestTimeoutMs = DEFAULT_GRAPH_REQUEST_TIMEOUT_MS,
  ) {
    const root = baseUrl.replace(/\/+$/, '');
    // The client's AuthenticationHandler only sends tokens to https Graph hosts (and strips the header
    // elsewhere); for the plain-http local emulator the chain uses an auth middleware that always adds it.
    // Either chain gives each attempt a deadline (request-timeout.ts): the client itself has none.
    const chain = root.startsWith('http://')
      ? emulatorMiddlewareChain(authProvider)
      : MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
    this.client = Client.initWithMiddleware({
      baseUrl: `${root}/`,
      defaultVersion: 'v1.0',
      middleware: withRequestTimeout(chain, requestTimeoutMs),
    });
    this.limiter = new Semaphore(concurrency);
    // @odata.id references name objects on the Graph endpoint in use (a national cloud has its own host).
    this.refRoot = `${root}/v1.0`;
    this.relations = new RelationsBatcher((items) => this.batch(items), {
      windowMs: membershipWindowMs,
      refRoot: this.refRoot,
      budget: this.writes,
      othersWorking: () => this.limiter.load > 0,
    });
  }

  /** One Graph call; GraphError → typed error. */
  private async call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    {
      version = 'v1.0',
      clientRequestId = randomUUID(),
      headers = {},
      expectNotFound = false,
    }: {
      version?: string;
      clientRequestId?: string;
      headers?: Record<string, string>;
      /** A 404 is an answer here (no manager, already gone): logged at debug, not as a failure. */
      expectNotFound?: boolean;
    } = {},
  ): Promise<T> {
    // Writes are noted for the audit row of the activity that made them ($batch: by its callers).
    if (method !== 'GET' && path !== '/$batch') {
      noteGraphRequest(clientRequestId);
      this.writes.record(1);
    }
    return this.limiter.run(async () => {
      const request = this.client
        .api(path)
        .version(version)
        .headers(headers)
        .header('client-request-id', clientRequestId);
      try {
        switch (method) {
          case 'GET':
            return (await request.get()) as T;
          case 'POST':
            return (await request.post(body ?? {})) as T;
          case 'PATCH':
            return (await request.patch(body ?? {})) as T;
          case 'PUT':
            return (await request.put(body ?? {})) as T;
          case 'DELETE':
            return (await request.delete()) as T;
        }
      } catch (error) {
        throw this.translate(error, method, path, expectNotFound);
      }
    });
  }

  private translate(error: unknown, method: string, path: string, expectNotFound = false): Error {
    if (error instanceof GraphError && error.code === GraphTimeoutError.name) {
      graphLog.warn({ method, path }, 'graph call timed out');
      return new GraphTimeoutError(error.message);
    }
    if (error instanceof GraphError) {
      let parsed: unknown;
      try {
        parsed = typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
      } catch {
        parsed = undefined;
      }
      // GraphErrorHandler keeps the inner `error` object as the body; re-wrap it as the OData envelope.
      const envelope =
        parsed && typeof parsed === 'object' && 'error' in parsed
          ? parsed
          : { error: { code: error.code, message: error.message, ...(parsed as object | undefined) } };
      const typed = graphErrorFrom(error.statusCode, envelope, error.headers ?? undefined);
      const details = {
        method,
        path,
        status: typed.status,
        code: typed.code,
        graphRequestId: typed.requestId ?? error.requestId,
      };
      if (expectNotFound && typed instanceof NotFoundError) graphLog.debug(details, 'graph call: not found (expected)');
      else graphLog.warn(details, 'graph call failed');
      return typed;
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Runs up to 20 requests in one round trip; re-sends throttled items after their Retry-After. */
  async batch(items: BatchItem[]): Promise<BatchResults> {
    const requestIds: string[] = [];
    const results: BatchResults = Object.assign(
      new Map<string, { status: number; body: unknown; headers: Record<string, string> }>(),
      { requestIds },
    );
    for (let start = 0; start < items.length; start += BATCH_LIMIT) {
      let pending = items.slice(start, start + BATCH_LIMIT);
      for (let attempt = 0; pending.length; attempt++) {
        const clientRequestId = randomUUID();
        requestIds.push(clientRequestId);
        const response = BatchResponse.parse(
          await this.call(
            'POST',
            '/$batch',
            {
              requests: pending.map((item) => ({
                id: item.id,
                method: item.method,
                url: item.url,
                ...(item.body !== undefined
                  ? { body: item.body, headers: { 'Content-Type': 'application/json' } }
                  : {}),
                ...(item.dependsOn?.length
                  ? { dependsOn: item.dependsOn.filter((d) => pending.some((p) => p.id === d)) }
                  : {}),
              })),
            },
            { clientRequestId },
          ),
        );
        // Graph counts every write item of a $batch against the budget, answered or throttled.
        this.writes.record(pending.filter((item) => item.method !== 'GET').length);
        const throttled = response.responses.filter((r) => r.status === 429 || r.status === 503);
        if (throttled.length) this.writes.noteThrottled();
        for (const r of response.responses)
          if (!throttled.includes(r)) results.set(r.id, { status: r.status, body: r.body, headers: r.headers ?? {} });
        if (!throttled.length) break;
        if (attempt >= MAX_BATCH_RETRIES) {
          for (const r of throttled) results.set(r.id, { status: r.status, body: r.body, headers: r.headers ?? {} });
          break;
        }
        const waitSeconds = Math.max(
          ...throttled.map((r) => Number(r.headers?.['retry-after'] ?? r.headers?.['Retry-After'] ?? 2 ** attempt)),
        );
        await new Promise((resolve) => setTimeout(resolve, waitSeconds * 1000 * (1 + Math.random() * 0.2)));
        const retryIds = new Set(throttled.map((r) => r.id));
        pending = pending.filter((item) => retryIds.has(item.id));
      }
    }
    return results;
  }

  async getUser(id: string): Promise<DirectoryUser | null> {
    try {
      return toDirectoryUser(
        await this.call('GET', `/users/${encodeURIComponent(id)}?$select=${USER_SELECT}`, undefined, {
          expectNotFound: true,
        }),
      );
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /**
   * Users by object id in one round trip (`id in (...)`, at most 15 per filter, the filters in one $batch); an id
   * without a user (deleted meanwhile) is missing from the map.
   */
  async getUsers(ids: string[]): Promise<Map<string, DirectoryUser>> {
    const found = new Map<string, DirectoryUser>();
    const terms = [...new Set(ids)].map((value) => ({ property: 'id', value }));
    for (const raw of await this.usersMatching(terms, USER_SELECT)) {
      const user = toDirectoryUser(raw);
      found.set(user.id, user);
    }
    return found;
  }

  private async findOne(filter: string, deleted = false): Promise<DirectoryUser | null> {
    const path = deleted ? '/directory/deletedItems/microsoft.graph.user' : '/users';
    const page = Collection.parse(
      await this.call('GET', `${path}?$filter=${encodeURIComponent(filter)}&$select=${USER_SELECT}&$top=2`),
    );
    return page.value[0] ? toDirectoryUser(page.value[0]) : null;
  }

  findUserByEmployeeId(employeeId: string): Promise<DirectoryUser | null> {
    return this.findOne(`employeeId eq ${odataString(employeeId)}`);
  }

  findDeletedUserByEmployeeId(employeeId: string): Promise<DirectoryUser | null> {
    return this.findOne(`employeeId eq ${odataString(employeeId)}`, true);
  }

  findUserByUpn(userPrincipalName: string): Promise<DirectoryUser | null> {
    return this.findOne(`userPrincipalName eq ${odataString(userPrincipalName)}`);
  }

  /**
   * All pages of a collection: follows `@odata.nextLink` until the last page (https://learn.microsoft.com/graph/paging;
   * Graph may answer fewer objects than $top asks).
   */
  private async getAll(path: string, first?: unknown): Promise<unknown[]> {
    const values: unknown[] = [];
    let page = Collection.parse(first ?? (await this.call('GET', path)));
    for (;;) {
      values.push(...page.value);
      const next = page['@odata.nextLink'];
      if (!next) return values;
      page = Collection.parse(await this.call('GET', pathOfNextLink(next)));
    }
  }

  /**
   * Users matching any of the equality terms, in one round trip: the terms are split into filters of at most 15
   * expressions (equality-filters.ts), sent as GETs in one $batch when there are several.
   */
  private async usersMatching(terms: EqualityTerm[], select: string): Promise<unknown[]> {
    const paths = equalityFilters(terms).map(
      (filter) => `/users?$filter=${encodeURIComponent(filter)}&$select=${select}&$top=999`,
    );
    if (paths.length === 0) return [];
    if (paths.length === 1) return this.getAll(paths[0]!);
    const results = await this.batch(paths.map((url, i) => ({ id: String(i), method: 'GET' as const, url })));
    const users: unknown[] = [];
    for (let i = 0; i < paths.length; i++) {
      const result = results.get(String(i));
      if (!result) throw new Error(`no $batch response for ${paths[i]}`);
      if (result.status >= 300) {
        const error = graphErrorFrom(result.status, result.body, result.headers);
        graphLog.warn({ method: 'GET', path: paths[i], status: error.status, code: error.code }, 'graph call failed');
        throw error;
      }
      users.push(...(await this.getAll(paths[i]!, result.body)));
    }
    return users;
  }

  /** One round trip: the candidates' UPNs and nicknames, ≤ 15 per filter, in one $batch (filter-query-parameter). */
  async takenUpnsOrNicknames(candidates: { userPrincipalName: string; mailNickname: string }[]): Promise<Set<string>> {
    const taken = new Set<string>();
    for (const raw of await this.usersMatching(candidateTerms(candidates), 'userPrincipalName,mailNickname')) {
      const u = raw as { userPrincipalName?: string; mailNickname?: string };
      if (u.userPrincipalName) taken.add(u.userPrincipalName.toLowerCase());
      if (u.mailNickname) taken.add(u.mailNickname.toLowerCase());
    }
    return taken;
  }

  async lookupForJoiner(
    employeeId: string,
    candidates: { userPrincipalName: string; mailNickname: string }[],
    managerEmployeeId?: string,
  ): Promise<{ existing: DirectoryUser | null; taken: Set<string>; manager: DirectoryUser | null }> {
    const ids = managerEmployeeId && managerEmployeeId !== employeeId ? [employeeId, managerEmployeeId] : [employeeId];
    const terms = [...ids.map((value) => ({ property: 'employeeId', value })), ...candidateTerms(candidates)];
    const found = new Map<string, DirectoryUser>();
    for (const raw of await this.usersMatching(terms, USER_SELECT)) {
      const user = toDirectoryUser(raw);
      found.set(user.id, user);
    }
    const users = [...found.values()];
    const taken = new Set<string>();
    for (const u of users) {
      taken.add(u.userPrincipalName.toLowerCase());
      if (u.mailNickname) taken.add(u.mailNickname.toLowerCase());
    }
    return {
      existing: users.find((u) => u.employeeId === employeeId) ?? null,
      taken,
      manager: (managerEmployeeId && users.find((u) => u.employeeId === managerEmployeeId)) || null,
    };
  }

  /**
   * Employee ids split over filters of at most 15 expressions, sent as GETs inside one $batch: one round trip for
   * a whole bulkUpload request instead of one lookup per operation.
   */
  async findUsersByEmployeeIds(employeeIds: string[]): Promise<Map<string, DirectoryUser>> {
    const wanted = [...new Set(employeeIds)];
    const terms = wanted.map((value) => ({ property: 'employeeId', value }));
    // Graph compares employeeId without regard to case: key each user by the id as it was asked for.
    const byLowerCase = new Map<string, DirectoryUser>();
    for (const raw of await this.usersMatching(terms, USER_SELECT)) {
      const user = toDirectoryUser(raw);
      if (user.employeeId) byLowerCase.set(user.employeeId.toLowerCase(), user);
    }
    const found = new Map<string, DirectoryUser>();
    for (const id of wanted) {
      const user = byLowerCase.get(id.toLowerCase());
      if (user) found.set(id, user);
    }
    return found;
  }

  /** GET /users/$count (advanced query: ConsistencyLevel eventual), answered as text/plain. */
  async countUsers(): Promise<number> {
    const text = await this.call('GET', '/users/$count', undefined, { headers: { ConsistencyLevel: 'eventual' } });
    const count = Number(typeof text === 'string' ? text.trim() : text);
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`GET /users/$count answered ${String(text).slice(0, 50)}`);
    return count;
  }

  async createUser(user: NewUser): Promise<DirectoryUser> {
    const { password, ...attributes } = user;
    const created = await this.call('POST', '/users', {
      ...attributesBody(attributes),
      passwordProfile: { password, forceChangePasswordNextSignIn: true },
    });
    return toDirectoryUser(created);
  }

  async updateUser(id: string, attributes: UserAttributes): Promise<void> {
    if (!Object.keys(attributes).length) return;
    await this.call('PATCH', `/users/${encodeURIComponent(id)}`, attributesBody(attributes));
  }

  async setAccountEnabled(id: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', `/users/${encodeURIComponent(id)}`, { accountEnabled: enabled });
  }

  async getManagerId(id: string): Promise<string | null> {
    try {
      // No manager is an answer (404), not a failure: no warning on every re-evaluation (issue 23).
      const manager = (await this.call('GET', `/users/${encodeURIComponent(id)}/manager?$select=id`, undefined, {
        expectNotFound: true,
      })) as { id?: string };
      return manager.id ?? null;
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  /** Groups with assigned membership (member writes can change them); roles, units and dynamic groups left out. */
  async listGroupIds(userId: string): Promise<string[]> {
    return (await this.listMemberships(userId))
      .filter((m) => m.kind === 'group' || m.kind === 'roleAssignableGroup')
      .map((m) => m.id);
  }

  /**
   * Every membership `memberOf` reports (groups, directory roles, administrative units; user-list-memberof), all
   * pages, each with its kind and why a leaver keeps it.
   */
  async listMemberships(userId: string): Promise<DirectoryMembership[]> {
    const select = 'id,displayName,groupTypes,isAssignableToRole';
    const objects = await this.getAll(`/users/${encodeURIComponent(userId)}/memberOf?$select=${select}&$top=999`);
    return objects.map(membershipFrom);
  }

  /** Packed with other callers' changes (RelationsBatcher): group adds cost ≈ 1/20 write each. */
  async applyRelations(userId: string, change: UserRelationsChange): Promise<RelationsResult> {
    return noted(await this.relations.applyRelations(userId, change));
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<RelationsResult> {
    return noted(await this.relations.addGroupMembers(groupId, userIds));
  }

  /** GET /subscribedSkus (subscribedsku-list): units by status and service plans (licence-reads.ts). */
  async listSubscribedSkus(): Promise<SubscribedSku[]> {
    return (await this.getAll('/subscribedSkus')).map(toSubscribedSku);
  }

  /**
   * Every user with the licence fields, 999 per page (https://learn.microsoft.com/graph/paging), following
   * nextLink (a server may answer smaller pages, e.g. with signInActivity). signInActivity is $select-only and
   * needs AuditLog.Read.All (and Entra ID P1): on 403 the users are read again without it and the report says
   * idle seats are judged on usage data only.
   */
  async listUsersForLicences(): Promise<LicenceUsers> {
    const path = (select: string) => `/users?$select=${select}&$top=999`;
    try {
      const raw = await this.getAll(path(`${LICENCE_USER_SELECT},signInActivity`));
      return { users: raw.map(toLicenceUser), signInActivityAvailable: true };
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      graphLog.warn({ code: error.code }, 'signInActivity not readable; licence report without last sign-in');
      const raw = await this.getAll(path(LICENCE_USER_SELECT));
      return { users: raw.map(toLicenceUser), signInActivityAvailable: false };
    }
  }

  /**
   * PIM for Groups active assignments of each group
   * (https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentscheduleinstances: "requires the
   * $filter (eq) query parameter to scope the request to a principalId or a groupId"), all pages. Least privilege:
   * PrivilegedAssignmentSchedule.Read.AzureADGroup; without it (403) the report says end dates are unknown.
   */
  async listTimeLimitedMemberships(groupIds: string[]): Promise<TimeLimitedMembership[] | null> {
    const all: TimeLimitedMembership[] = [];
    try {
      for (const groupId of groupIds) {
        const filter = encodeURIComponent(`groupId eq ${odataString(groupId)}`);
        const raw = await this.getAll(`${PIM_GROUP_INSTANCES}?$filter=${filter}`);
        all.push(...toTimeLimitedMemberships(raw));
      }
      return all;
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      graphLog.warn({ code: error.code }, 'PIM for Groups assignments not readable; licence report without end dates');
      return null;
    }
  }

  /** GET /groups/{id}/members?$select=id (group-list-members), all pages of 999. */
  async listGroupMemberIds(groupId: string): Promise<string[] | null> {
    try {
      const members = await this.getAll(`/groups/${encodeURIComponent(groupId)}/members?$select=id&$top=999`);
      return members.map((m) => (m as { id: string }).id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  async listLicenseStates(userId: string): Promise<LicenseAssignmentState[]> {
    const user = (await this.call('GET', `/users/${encodeURIComponent(userId)}?$select=licenseAssignmentStates`)) as {
      licenseAssignmentStates?: LicenseAssignmentState[];
    };
    if (user.licenseAssignmentStates) return user.licenseAssignmentStates;
    return (await this.getAll(
      `/users/${encodeURIComponent(userId)}/licenseAssignmentStates`,
    )) as LicenseAssignmentState[];
  }

  async assignLicenses(userId: string, addSkuIds: string[], removeSkuIds: string[]): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(userId)}/assignLicense`, {
      addLicenses: addSkuIds.map((skuId) => ({ skuId, disabledPlans: [] })),
      removeLicenses: removeSkuIds,
    });
  }

  async revokeSignInSessions(userId: string): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(userId)}/revokeSignInSessions`);
  }

  async createTemporaryAccessPass(
    userId: string,
    options: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime?: string },
  ): Promise<TemporaryAccessPass> {
    const tap = (await this.call(
      'POST',
      `/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`,
      options,
    )) as TemporaryAccessPass;
    return {
      id: tap.id,
      temporaryAccessPass: tap.temporaryAccessPass ?? null,
      startDateTime: tap.startDateTime,
      lifetimeInMinutes: tap.lifetimeInMinutes,
      isUsableOnce: tap.isUsableOnce,
    };
  }

  async deleteTemporaryAccessPass(userId: string, passId: string): Promise<void> {
    try {
      await this.call(
        'DELETE',
        `/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods/${passId}`,
        undefined,
        { expectNotFound: true },
      );
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  /**
   * GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass
   * (temporaryaccesspassauthenticationmethodconfiguration-get; application permission
   * Policy.Read.AuthenticationMethod). Without that permission (403) the documented defaults apply: 60..480
   * minutes, passes may be reusable
   * (https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass).
   */
  async getTemporaryAccessPassPolicy(): Promise<TemporaryAccessPassPolicy> {
    try {
      const policy = (await this.call(
        'GET',
        '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass',
      )) as Partial<TemporaryAccessPassPolicy>;
      return {
        minimumLifetimeInMinutes: policy.minimumLifetimeInMinutes ?? 60,
        maximumLifetimeInMinutes: policy.maximumLifetimeInMinutes ?? 480,
        isUsableOnce: policy.isUsableOnce ?? false,
      };
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
      return { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false };
    }
  }

  async sendMail(fromMailbox: string, message: MailMessage): Promise<void> {
    await this.call('POST', `/users/${encodeURIComponent(fromMailbox)}/sendMail`, {
      message: {
        subject: message.subject,
        body: { contentType: 'HTML', content: message.html },
        toRecipients: message.to.map((address) => ({ emailAddress: { address } })),
      },
      saveToSentItems: false,
    });
  }

  async deleteUser(id: string): Promise<void> {
    try {
      await this.call('DELETE', `/users/${encodeURIComponent(id)}`, undefined, { expectNotFound: true });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  async restoreDeletedUser(id: string): Promise<DirectoryUser> {
    return toDirectoryUser(await this.call('POST', `/directory/deletedItems/${encodeURIComponent(id)}/restore`));
  }

  async getLastSignIn(userId: string): Promise<string | null> {
    const user = (await this.call('GET', `/users/${encodeURIComponent(userId)}?$select=signInActivity`)) as {
      signInActivity?: { lastSignInDateTime?: string };
    };
    return user.signInActivity?.lastSignInDateTime ?? null;
  }

  async resumeLifecycleTask(
    callbackUriPath: string,
    operationStatus: 'Completed' | 'Failed',
    source: string,
  ): Promise<void> {
    // identitygovernance-taskprocessingresult-resume: POST beta + callbackUriPath → 204
    await this.call(
      'POST',
      callbackUriPath,
      { data: { operationStatus }, source, type: 'lifecycleEvent' },
      { version: 'beta' },
    );
  }
}

export { ConflictError };

/** The shared $batch requests that carried a caller's relation changes, noted in the caller's own context. */
function noted(result: RelationsResult & { graphRequestIds?: string[] }): RelationsResult {
  for (const id of result.graphRequestIds ?? []) noteGraphRequest(id);
  return result;
}

/** Auth middleware for the local emulator: always attaches the bearer token. */
class BearerMiddleware implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly provider: AuthenticationProvider) {}
  async execute(context: Context): Promise<void> {
    const token = await this.provider.getAccessToken();
    const options = (context.options ??= {});
    const headers = new Headers(options.headers);
    headers.set('Authorization', `Bearer ${token}`);
    options.headers = Object.fromEntries(headers.entries());
    await this.next!.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function emulatorMiddlewareChain(provider: AuthenticationProvider): Middleware[] {
  return [new BearerMiddleware(provider), new RetryHandler(new RetryHandlerOptions()), new HTTPMessageHandler()];
}

export function createDirectory(config: Config): GraphDirectory {
  const tenant = isTenantMode(config);
  const origin = tenant ? '' : localOrigin(config);
  const baseUrl = tenant || config.GRAPH_BASE_URL ? cloudEndpoints(config).graphRoot : `${origin}/_local/graph`;
  return new GraphDirectory(
    graphAuthProvider(config, origin),
    baseUrl,
    config.GRAPH_MAX_CONCURRENCY,
    config.GRAPH_MEMBERSHIP_BATCH_WINDOW_MS,
    config.GRAPH_REQUEST_TIMEOUT_MS,
  );
}
