import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import demoTenant from './seed/demo-tenant.json';
import { equalityLookups, filterProperties, matches } from './filter';
import { fromSeed, PimGroupAssignments, type PimGroupAssignmentSeed } from './pim-groups';
import { LicenceLedger, signInActivityPageSize, withLicenceProperties, type SkuDoc } from './licences';
import {
  ADMINISTRATIVE_UNIT_TYPE,
  DIRECTORY_ROLE_TYPE,
  isDynamicGroup,
  isDynamicUnit,
  memberOf,
  membersOf,
  USER_TYPE,
} from './memberships';
import { badRequest, noContent, notFound, odataError, ok, select, type EmulatorResponse } from './odata';
import { page } from './paging';
import { checkCollectionQuery, isResponse } from './query-limits';
import type { DirectoryObjectDoc, GraphStore, UserDoc } from './store';
import { HANG_DEFAULTS, type HangFaults } from './hang-fault';
import { validateUserProperties } from './user-properties';
import { LifecycleWorkflowsApi } from './lcw/lcw-graph-api';
import { seedLifecycleWorkflows, type LifecycleSeed } from './lcw/lcw-seed';
import { lcwSettings } from './lcw/lcw-settings';
import { LcwStore } from './lcw/lcw-store';

/**
 * The Microsoft Graph v1.0 calls entra-jml makes, answered like Graph answers them. Each handler cites
 * the Graph API page it follows. The store is the emulator's tenant; `faults` injects throttling and
 * replication lag on demand; `limits` enforces Graph's documented write budget when asked.
 */
export interface EmulatorFaults extends HangFaults {
  /** The next N requests answer 429 with Retry-After. */
  throttleNext: number;
  /** The next N items inside $batch requests answer 429 with Retry-After (the $batch itself answers 200). */
  throttleNextBatchItems: number;
  throttleRetryAfterSeconds: number;
  /** A user created less than this many ms ago answers 404 (eventual consistency). */
  replicationLagMs: number;
  /** Enforce 3,000 writes per 150 s per app+tenant (throttling-limits#identity-and-access-service-limits). */
  realLimits: boolean;
  /**
   * Pages hold at most this many objects whatever $top asks (0: off). Graph may answer smaller pages than
   * asked (https://learn.microsoft.com/graph/paging), so callers must follow @odata.nextLink.
   */
  serverPageSize: number;
  /**
   * An outage in time, not in requests: until this instant (epoch ms; 0: none) every request answers
   * `unavailableStatus` with a non-zero Retry-After of `throttleRetryAfterSeconds`, as Graph does while a
   * service is down or overloaded ("503 Service Unavailable ... You may repeat the request after a delay, the
   * length of which may be specified in a Retry-After header", https://learn.microsoft.com/graph/errors) or
   * throttling a storm (429 + Retry-After, https://learn.microsoft.com/graph/throttling).
   */
  unavailableUntil: number;
  unavailableStatus: 429 | 503;
  /**
   * During the outage a $batch itself answers 200 and each of its items answers `unavailableStatus` (each
   * request of a batch is evaluated against the limits on its own:
   * https://learn.microsoft.com/graph/throttling#throttling-and-batching); false: the $batch as a whole answers.
   */
  unavailableInBatchItems: boolean;
  /**
   * Graph unavailable: every request (each $batch item too) answers 503 Service Unavailable with Retry-After
   * (`throttleRetryAfterSeconds`) until set back to false. "The service is temporarily unavailable for maintenance
   * or is overloaded. You may repeat the request after a delay, the length of which may be specified in a
   * Retry-After header." (https://learn.microsoft.com/graph/errors#http-status-codes)
   */
  unavailable: boolean;
  /**
   * Turns `unavailable` on right after the next request of this kind ("METHOD /path", ids folded as in
   * `writesByKind`, e.g. "POST /users") has been answered with success: an outage that starts after a partial
   * effect. Empty: off.
   */
  unavailableAfter: string;
}

export interface EmulatorStats {
  /** HTTP round trips (a $batch counts once). */
  httpRequests: number;
  /** Graph operations (each item of a $batch counts). */
  requests: number;
  writes: number;
  /** Writes by kind, e.g. "PATCH /groups/{id}" (ids folded), to see where a write budget goes. */
  writesByKind: Record<string, number>;
  batches: number;
  throttled: number;
}

export interface GraphRequest {
  method: string;
  /** Path after the version, e.g. /users/123 */
  path: string;
  query: URLSearchParams;
  body: unknown;
  version: 'v1.0' | 'beta';
  /** Request headers, names in lower case. */
  headers?: Record<string, string>;
  /** Application roles of the caller's token; undefined: not checked (in-process callers). */
  roles?: string[];
  /** Delegated scopes (scp) of the caller's token, and its appid: Lifecycle Workflows checks them. */
  scopes?: string[];
  appId?: string;
  /** Path and query after the version exactly as sent (URL length limits). */
  rawUrl?: string;
  /** Absolute root of this Graph, e.g. http://127.0.0.1:7071/_local/graph/v1.0 (for @odata.nextLink). */
  baseUrl?: string;
}

const WRITE_WINDOW_MS = 150_000;
const WRITE_BUDGET = 3_000;
/** Path segments folded into one write kind for the stats: an object id, and a user addressed by UPN. */
const ID_SEGMENT = /\/[0-9a-f-]{36}(?=\/|$)/gi;
const UPN_SEGMENT = /\/users\/[^/]+@[^/]+/g;
const USER_FIELDS = [
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
  'userPrincipalName',
  'mailNickname',
  'onPremisesExtensionAttributes',
  'employeeOrgData',
  'preferredLanguage',
  'mobilePhone',
  'businessPhones',
] as const;

/**
 * The tenant's Temporary Access Pass policy at its defaults (temporaryaccesspassauthenticationmethodconfiguration-get;
 * https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass): lifetime
 * 60..480 minutes, default 60, passes may be reusable. createTap enforces the same bounds.
 */
const TAP_POLICY = {
  '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
  id: 'TemporaryAccessPass',
  state: 'enabled',
  defaultLifetimeInMinutes: 60,
  defaultLength: 8,
  minimumLifetimeInMinutes: 60,
  maximumLifetimeInMinutes: 480,
  isUsableOnce: false,
};

export class GraphApi {
  readonly faults: EmulatorFaults = {
    throttleNext: 0,
    throttleNextBatchItems: 0,
    throttleRetryAfterSeconds: 1,
    replicationLagMs: 0,
    realLimits: false,
    serverPageSize: 0,
    unavailableUntil: 0,
    unavailableStatus: 503,
    unavailableInBatchItems: false,
    unavailable: false,
    unavailableAfter: '',
    ...HANG_DEFAULTS,
  };
  readonly stats: EmulatorStats = {
    httpRequests: 0,
    requests: 0,
    writes: 0,
    writesByKind: {},
    batches: 0,
    throttled: 0,
  };
  private readonly writeTimes: number[] = [];

  /** Forgets the writes of the last window (admin `POST write-budget/reset`, for benches). */
  resetWriteBudget(): void {
    this.writeTimes.length = 0;
  }
  /** Lifecycle Workflows (lcw/): workflows, custom task extensions, runs and the resume action. */
  readonly lifecycle: LifecycleWorkflowsApi;
  /** PIM for Groups active assignments (pim-groups.ts): the end dates of time-limited access. */
  readonly pimGroups: PimGroupAssignments;

  constructor(
    readonly store: GraphStore,
    private readonly seedFile?: string,
  ) {
    this.lifecycle = new LifecycleWorkflowsApi(new LcwStore(store.db), (id) => {
      const user = store.getUser(id);
      return user ? { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName } : null;
    });
    this.pimGroups = new PimGroupAssignments(store.db);
    if (!store.isSeeded()) this.seed();
  }

  seed(): void {
    const tenant = this.tenantDocument() as {
      skus: SkuDoc[];
      groups: { id: string; displayName: string; assignedLicenses?: string[] }[];
      users: Partial<UserDoc>[];
      directoryRoles?: DirectoryObjectDoc[];
      administrativeUnits?: DirectoryObjectDoc[];
      memberships?: { containerId: string; memberId: string }[];
      lifecycleWorkflows?: LifecycleSeed;
      pimGroupAssignments?: PimGroupAssignmentSeed[];
    };
    this.throttledUntil = 0;
    this.store.db.transaction(() => {
      this.store.reset();
      for (const sku of tenant.skus) this.store.saveSku(sku);
      for (const group of tenant.groups)
        this.store.saveGroup({
          groupTypes: [],
          securityEnabled: true,
          mailEnabled: false,
          isAssignableToRole: false,
          ...group,
          mailNickname: group.displayName.replace(/[^A-Za-z0-9]/g, ''),
        });
      for (const role of tenant.directoryRoles ?? []) this.store.saveDirectoryRole(role);
      for (const unit of tenant.administrativeUnits ?? []) this.store.saveAdministrativeUnit(unit);
      for (const m of tenant.memberships ?? []) this.store.addMember(m.containerId, m.memberId);
      for (const user of tenant.users) {
        this.store.saveUser({
          accountEnabled: true,
          createdDateTime: new Date().toISOString(),
          deletedDateTime: null,
          signInSessionsValidFromDateTime: null,
          assignedLicenses: [],
          ...user,
        } as UserDoc);
      }
      this.seedLifecycleWorkflows();
      this.pimGroups.clear();
      for (const entry of tenant.pimGroupAssignments ?? []) this.pimGroups.add(fromSeed(entry, Date.now()));
      this.store.markSeeded(tenant);
    })();
  }

  /** The seed's custom task extensions and workflows, added when missing (lcw/lcw-seed.ts). */
  seedLifecycleWorkflows(): void {
    const tenant = this.tenantDocument() as { lifecycleWorkflows?: LifecycleSeed };
    seedLifecycleWorkflows(
      this.lifecycle.store,
      tenant.lifecycleWorkflows,
      lcwSettings().seedEnabled,
      this.lifecycle.now(),
    );
  }

  /** The seed: the demo tenant shipped with the emulator, or a file given by the caller. */
  private tenantDocument(): unknown {
    return this.seedFile ? JSON.parse(readFileSync(this.seedFile, 'utf8')) : demoTenant;
  }

  tenant(): { tenantId: string; domains: string[]; app: { clientId: string; clientSecret: string } } {
    return this.tenantDocument() as ReturnType<GraphApi['tenant']>;
  }

  /**
   * Until this instant every request is throttled again: a client that retries before the Retry-After it was
   * given is still throttled ("wait the number of seconds specified in the Retry-After header and retry",
   * https://learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling).
   */
  private throttledUntil = 0;

  /**
   * Entry point for one request (also used for each item of a $batch, with `batchItem` and the throttling window
   * as it was when the batch arrived: items of one batch are judged together, not by each other's 429s).
   */
  handle(req: GraphRequest, batchItem = false, throttledUntil = this.throttledUntil): EmulatorResponse {
    this.stats.requests++;
    const now = Date.now();
    if (now < this.faults.unavailableUntil && (batchItem || !this.faults.unavailableInBatchItems || !isBatch(req)))
      return this.timedOutage();
    if (this.faults.unavailable) return this.unavailable();
    if (now < throttledUntil) return this.throttled(Math.ceil((throttledUntil - now) / 1000), false);
    if (this.faults.throttleNext > 0) {
      this.faults.throttleNext--;
      return this.throttled(this.faults.throttleRetryAfterSeconds);
    }
    if (batchItem && this.faults.throttleNextBatchItems > 0) {
      this.faults.throttleNextBatchItems--;
      return this.throttled(this.faults.throttleRetryAfterSeconds);
    }
    const isWrite = req.method !== 'GET';
    const kind = `${req.method} ${req.path.replace(ID_SEGMENT, '/{id}').replace(UPN_SEGMENT, '/users/{upn}')}`;
    if (isWrite && req.path !== '/$batch') {
      if (this.faults.realLimits) {
        const now = Date.now();
        while (this.writeTimes.length && this.writeTimes[0]! <= now - WRITE_WINDOW_MS) this.writeTimes.shift();
        if (this.writeTimes.length >= WRITE_BUDGET) {
          // The write budget throttles writes only; reads keep their own budget, so no window for them.
          const wait = Math.max(1, Math.ceil((this.writeTimes[0]! + WRITE_WINDOW_MS - now) / 1000));
          return this.throttled(wait, false);
        }
        this.writeTimes.push(now);
      }
      this.stats.writes++;
      this.stats.writesByKind[kind] = (this.stats.writesByKind[kind] ?? 0) + 1;
    }
    let response: EmulatorResponse;
    try {
      response = this.route(req);
    } catch (error) {
      response = odataError(500, 'generalException', error instanceof Error ? error.message : String(error));
    }
    if (this.faults.unavailableAfter === kind && response.status < 400) {
      this.faults.unavailableAfter = '';
      this.faults.unavailable = true;
    }
    return response;
  }

  private unavailable(): EmulatorResponse {
    // https://learn.microsoft.com/graph/errors#http-status-codes: 503 serviceNotAvailable, with Retry-After.
    const response = odataError(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable. Retry after the interval in the Retry-After header.',
    );
    response.headers = { ...response.headers, 'retry-after': String(this.faults.throttleRetryAfterSeconds) };
    return response;
  }

  private throttled(retryAfterSeconds: number, opensWindow = true): EmulatorResponse {
    this.stats.throttled++;
    if (opensWindow && retryAfterSeconds > 0)
      this.throttledUntil = Math.max(this.throttledUntil, Date.now() + retryAfterSeconds * 1000);
    // https://learn.microsoft.com/graph/throttling: 429 + Retry-After (seconds)
    const response = odataError(
      429,
      'TooManyRequests',
      'Too many requests. Retry after the interval in the Retry-After header.',
    );
    response.headers = { ...response.headers, 'retry-after': String(retryAfterSeconds) };
    return response;
  }

  /** An answer during a timed outage (faults.unavailableUntil): the window is the outage, none is opened. */
  private timedOutage(): EmulatorResponse {
    const retryAfter = Math.max(1, this.faults.throttleRetryAfterSeconds);
    if (this.faults.unavailableStatus === 429) return this.throttled(retryAfter, false);
    this.stats.throttled++;
    // https://learn.microsoft.com/graph/errors: 503 serviceNotAvailable, retry after the Retry-After delay.
    const response = odataError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Retry later.');
    response.headers = { ...response.headers, 'retry-after': String(retryAfter) };
    return response;
  }

  private route(req: GraphRequest): EmulatorResponse {
    const { method, path: p } = req;
    const seg = p.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'POST' && p === '/$batch') return this.batch(req);
    if (
      seg[0] === 'identityGovernance' &&
      seg.slice(1).join('/') === 'privilegedAccess/group/assignmentScheduleInstances' &&
      method === 'GET'
    )
      return this.pimGroups.list(req, req.roles);
    if (seg[0] === 'identityGovernance' && seg[1] === 'lifecycleWorkflows')
      return this.lifecycle.handle({
        method,
        segments: seg.slice(2),
        path: p,
        body: req.body,
        roles: req.roles,
        scopes: req.scopes,
        appId: req.appId,
      });
    if (seg[0] === 'users') {
      if (seg.length === 1)
        return method === 'GET'
          ? this.listUsers(req)
          : method === 'POST'
            ? this.createUser(req.body, req.roles)
            : this.methodNotAllowed();
      if (seg.length === 2 && seg[1] === '$count' && method === 'GET')
        return this.countOf(req, () => this.store.countUsers(false));
      const user = this.resolveUser(seg[1]!);
      if (!user) return notFound(seg[1]!);
      const rest = seg.slice(2).join('/');
      if (rest === '') {
        if (method === 'GET') {
          const view = withLicenceProperties(user, req.query.get('$select'), req.roles, new LicenceLedger(this.store));
          if ('status' in view) return view;
          return ok(select({ '@odata.type': USER_TYPE, ...view.doc }, req.query.get('$select')));
        }
        if (method === 'PATCH') return this.updateUser(user, req.body, req.roles);
        if (method === 'DELETE') return this.deleteUser(user);
      }
      if (rest === 'manager' && method === 'GET') {
        const managerId = this.store.getManagerId(user.id);
        const manager = managerId ? this.store.getUser(managerId) : null;
        return manager ? ok({ '@odata.type': '#microsoft.graph.user', ...manager }) : notFound('manager');
      }
      if (rest === 'manager/$ref') {
        if (method === 'PUT') return this.setManager(user, req.body);
        if (method === 'DELETE') {
          if (!this.store.getManagerId(user.id)) return notFound('manager');
          this.store.setManager(user.id, null);
          return noContent();
        }
      }
      if ((rest === 'memberOf' || rest === 'transitiveMemberOf') && method === 'GET')
        return this.collection(req, memberOf(this.store, user), 'directoryObjects');
      if (rest === 'assignLicense' && method === 'POST') return this.assignLicense(user, req.body);
      if (rest === 'licenseDetails' && method === 'GET')
        return ok({
          value: this.licenseStates(user)
            .filter((s) => s.state === 'Active')
            .map((s) => ({ skuId: s.skuId, skuPartNumber: this.skuPart(s.skuId) })),
        });
      if (rest === 'revokeSignInSessions' && method === 'POST') {
        // user-revokesigninsessions: 200 {value: true}
        this.store.saveUser({ ...user, signInSessionsValidFromDateTime: new Date().toISOString() });
        return ok({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true });
      }
      if (rest === 'authentication/temporaryAccessPassMethods') {
        if (method === 'POST') return this.createTap(user, req.body);
        if (method === 'GET')
          return ok({ value: this.store.tapsOf(user.id).map(({ temporaryAccessPass: _secret, ...tap }) => tap) });
      }
      if (seg[2] === 'authentication' && seg[3] === 'temporaryAccessPassMethods' && seg[4] && method === 'DELETE') {
        return this.store.deleteTap(user.id, seg[4]) ? noContent() : notFound(seg[4]);
      }
      if (rest === 'sendMail' && method === 'POST') return this.sendMail(user, req.body);
      if (rest === 'licenseAssignmentStates' && method === 'GET') return ok({ value: this.licenseStates(user) });
      return this.methodNotAllowed();
    }
    if (seg[0] === 'groups') {
      if (seg.length === 1 && method === 'GET')
        return this.collection(
          req,
          this.store.listGroups().map((g) => ({ '@odata.type': '#microsoft.graph.group', ...g })),
          'groups',
        );
      if (seg.length === 2 && seg[1] === '$count' && method === 'GET')
        return this.countOf(req, () => this.store.listGroups().length);
      const group = this.store.getGroup(seg[1] ?? '');
      if (!group) return notFound(seg[1] ?? '');
      if (seg.length === 2 && method === 'GET') return ok(group);
      if (seg.length === 2 && method === 'PATCH') return this.patchGroup(group.id, req.body);
      // group-list-members: direct members of every kind; a nested group is listed as a group.
      if (seg[2] === 'members' && seg.length === 3 && method === 'GET')
        return this.collection(
          req,
          [
            ...membersOf(this.store, group).map((u) => ({ '@odata.type': USER_TYPE, ...u })),
            ...this.nestedGroups(group.id),
          ],
          'directoryObjects',
        );
      if (seg[2] === 'members' && (method === 'POST' || method === 'DELETE') && isDynamicGroup(group))
        return dynamicMembershipRefused('group');
      if (seg[2] === 'members' && seg[3] === '$ref' && method === 'POST')
        return this.addMembers(group.id, [refId(req.body)]);
      if (seg[2] === 'members' && seg[4] === '$ref' && method === 'DELETE') {
        // group-delete-members: 404 when not a member
        return this.store.removeMember(group.id, seg[3]!) ? noContent() : notFound(seg[3]!);
      }
      return this.methodNotAllowed();
    }
    if (seg[0] === 'directoryRoles') return this.directoryRoles(req, seg);
    if (seg[0] === 'directory' && seg[1] === 'administrativeUnits') return this.administrativeUnits(req, seg.slice(1));
    if (seg[0] === 'subscribedSkus' && method === 'GET') {
      // subscribedsku-list: every SKU in one answer, no paging; "Query filter expressions aren't supported".
      return ok({
        '@odata.context': `https://graph.microsoft.com/${req.version}/$metadata#subscribedSkus`,
        value: new LicenceLedger(this.store).subscribedSkus(this.tenant().tenantId),
      });
    }
    if (seg[0] === 'directory' && seg[1] === 'deletedItems') {
      if (seg[2] === 'microsoft.graph.user' && method === 'GET') return this.listUsers(req, true);
      const user = this.store.getUser(seg[2] ?? '', true);
      if (!user || !user.deletedDateTime) return notFound(seg[2] ?? '');
      if (seg[3] === 'restore' && method === 'POST') return this.restoreUser(user);
      if (seg.length === 3 && method === 'DELETE') {
        this.store.hardDeleteUser(user.id);
        return noContent();
      }
      if (seg.length === 3 && method === 'GET') return ok(user);
    }
    if (
      seg.join('/') === 'policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass' &&
      method === 'GET'
    )
      return ok(TAP_POLICY);
    return odataError(400, 'BadRequest', `Resource not found for the segment '${seg[0] ?? ''}'.`);
  }

  /** Groups that are direct members of a group (listed by group-list-members with their own type). */
  private nestedGroups(groupId: string): Record<string, unknown>[] {
    if (isDynamicGroup(this.store.getGroup(groupId)!)) return [];
    return this.store
      .memberIdsOf(groupId)
      .map((id) => this.store.getGroup(id))
      .filter((g): g is NonNullable<typeof g> => g !== null)
      .map((g) => ({ '@odata.type': '#microsoft.graph.group', ...g }));
  }

  private methodNotAllowed(): EmulatorResponse {
    return odataError(405, 'Request_BadRequest', 'The requested HTTP method is not supported for this resource.');
  }

  private resolveUser(idOrUpn: string): UserDoc | null {
    const user = idOrUpn.includes('@') ? this.store.findUserByUpn(idOrUpn) : this.store.getUser(idOrUpn);
    if (!user) return null;
    // Replication lag on demand: a just-created object is not yet visible (known issue, docs/contracts.md §4.11).
    if (
      this.faults.replicationLagMs > 0 &&
      Date.now() - Date.parse(user.createdDateTime) < this.faults.replicationLagMs
    )
      return null;
    return user;
  }

  /** GET /users?$filter= (user-list, filter-query-parameter), paged (query-limits.ts, paging.ts). */
  private listUsers(req: GraphRequest, deleted = false): EmulatorResponse {
    const q = checkCollectionQuery(req);
    if (isResponse(q)) return q;
    let users: UserDoc[];
    if (q.filter) {
      const unknown = filterProperties(q.filter).find(
        (p) => p !== 'id' && !(USER_FIELDS as readonly string[]).includes(p),
      );
      if (unknown)
        return odataError(
          400,
          'Request_UnsupportedQuery',
          `Unsupported or invalid query filter clause specified for property '${unknown}' of resource 'User'.`,
        );
      const column = { employeeId: 'employee_id', userPrincipalName: 'upn', mailNickname: 'nickname' } as const;
      const lookups = equalityLookups(q.filter);
      if (lookups?.every((l) => l.property in column)) {
        // Indexed fast path for `eq`/`in` on the unique names and employeeId (the joiner lookup).
        const found = new Map<string, UserDoc>();
        for (const { property, values } of lookups)
          for (const value of values)
            for (const user of this.store.findUsers(column[property as keyof typeof column], value, deleted))
              found.set(user.id, user);
        users = [...found.values()];
      } else {
        users = this.store.listUsersUnchanged(deleted).filter((u) => matches(q.filter!, u));
      }
    } else {
      // Not copied: paging slices it, and nothing below writes to it.
      users = this.store.listUsersUnchanged(deleted) as UserDoc[];
    }
    const $select = req.query.get('$select');
    // The page is cut first and only its users get the computed licence properties: one page costs its size, not
    // the tenant's (a 50,000-user listing is 417 pages with signInActivity).
    const answer = this.paged(
      req,
      users,
      signInActivityPageSize(q.top, $select),
      q.count,
      deleted ? 'directoryObjects' : 'users',
    );
    const body = answer.body as { value?: UserDoc[] } | undefined;
    if (answer.status !== 200 || !body?.value) return answer;
    const ledger = LicenceLedger.of(this.store);
    const views: Record<string, unknown>[] = [];
    for (const u of body.value) {
      const view = withLicenceProperties(u, $select, req.roles, ledger);
      if ('status' in view) return view;
      views.push(select(view.doc, $select));
    }
    body.value = views as unknown as UserDoc[];
    return answer;
  }

  /**
   * GET /{collection}/$count: the number as text/plain; an advanced query, so it needs `ConsistencyLevel:
   * eventual` (learn.microsoft.com/graph/aad-advanced-queries, user-list "Get only a count of users"); else 400.
   */
  private countOf(req: GraphRequest, count: () => number): EmulatorResponse {
    if (req.headers?.consistencylevel?.toLowerCase() !== 'eventual')
      return badRequest('$count is not currently supported.');
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: String(count()) };
  }

  /** A directory collection with $filter, $select, $top, $count and paging checked as Graph checks them. */
  private collection(req: GraphRequest, items: Record<string, unknown>[], context: string): EmulatorResponse {
    const q = checkCollectionQuery(req);
    if (isResponse(q)) return q;
    const filtered = q.filter ? items.filter((item) => matches(q.filter!, item)) : items;
    const $select = req.query.get('$select');
    return this.paged(
      req,
      filtered.map((item) => select(item, $select)),
      q.top,
      q.count,
      context,
    );
  }

  private paged(
    req: GraphRequest,
    items: unknown[],
    top: number | null,
    count: boolean,
    context: string,
  ): EmulatorResponse {
    return (
      page(req, items, {
        top,
        count,
        serverPageSize: this.faults.serverPageSize,
        context: `https://graph.microsoft.com/${req.version}/$metadata#${context}`,
      }) ?? odataError(400, 'Request_BadRequest', "Invalid value for '$skiptoken'.")
    );
  }

  /**
   * GET /directoryRoles, GET/POST/DELETE /directoryRoles/{id}/members (directoryrole-list, directoryrole-list-members,
   * directoryrole-post-members, directoryrole-delete-member).
   */
  private directoryRoles(req: GraphRequest, seg: string[]): EmulatorResponse {
    if (seg.length === 1 && req.method === 'GET')
      return this.collection(
        req,
        this.store.listDirectoryRoles().map((r) => ({ '@odata.type': DIRECTORY_ROLE_TYPE, ...r })),
        'directoryRoles',
      );
    const role = this.store.getDirectoryRole(seg[1] ?? '');
    if (!role) return notFound(seg[1] ?? '');
    return this.containerMembers(req, role, seg.slice(2), false);
  }

  /**
   * GET /directory/administrativeUnits and its members; member writes refused on a unit with dynamic membership
   * (administrativeunit-post-members: "you can't add members to an administrative unit with dynamic membership").
   */
  private administrativeUnits(req: GraphRequest, seg: string[]): EmulatorResponse {
    if (seg.length === 1 && req.method === 'GET')
      return this.collection(
        req,
        this.store.listAdministrativeUnits().map((u) => ({ '@odata.type': ADMINISTRATIVE_UNIT_TYPE, ...u })),
        'directory/administrativeUnits',
      );
    const unit = this.store.getAdministrativeUnit(seg[1] ?? '');
    if (!unit) return notFound(seg[1] ?? '');
    return this.containerMembers(req, unit, seg.slice(2), isDynamicUnit(unit));
  }

  private containerMembers(
    req: GraphRequest,
    container: DirectoryObjectDoc,
    rest: string[],
    dynamic: boolean,
  ): EmulatorResponse {
    if (rest.length === 0 && req.method === 'GET') return ok(container);
    if (rest[0] !== 'members') return this.methodNotAllowed();
    if (rest.length === 1 && req.method === 'GET')
      return this.collection(
        req,
        membersOf(this.store, container).map((u) => ({ '@odata.type': USER_TYPE, ...u })),
        'directoryObjects',
      );
    if (dynamic && (req.method === 'POST' || req.method === 'DELETE')) return dynamicMembershipRefused('unit');
    if (rest[1] === '$ref' && req.method === 'POST') {
      const id = refId(req.body);
      if (!id || !this.resolveUser(id)) return notFound(id ?? '');
      if (this.store.isMember(container.id, id))
        return badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      this.store.addMember(container.id, id);
      return noContent();
    }
    if (rest[2] === '$ref' && req.method === 'DELETE')
      return this.store.removeMember(container.id, rest[1]!) ? noContent() : notFound(rest[1]!);
    return this.methodNotAllowed();
  }

  /**
   * POST /users (user-post-users): required accountEnabled, displayName, mailNickname, passwordProfile,
   * userPrincipalName
   */
  private createUser(body: unknown, roles?: string[]): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    for (const field of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
      if (input[field] === undefined || input[field] === null || input[field] === '') {
        return badRequest(`Invalid value specified for property '${field}' of resource 'User'.`);
      }
    }
    const invalid = validateUserProperties(input, { domains: this.tenant().domains, roles, update: false });
    if (invalid) return invalid;
    const upn = String(input.userPrincipalName);
    if (this.store.upnTaken(upn)) {
      return badRequest('Another object with the same value for property userPrincipalName already exists.', [
        { code: 'ObjectConflict', target: 'userPrincipalName' },
      ]);
    }
    if (this.store.nicknameTaken(String(input.mailNickname))) {
      return badRequest('Another object with the same value for property mailNickname already exists.', [
        { code: 'ObjectConflict', target: 'mailNickname' },
      ]);
    }
    const { passwordProfile: _password, ...rest } = input;
    const user: UserDoc = {
      ...pick(rest),
      id: randomUUID(),
      userPrincipalName: upn,
      mailNickname: String(input.mailNickname),
      displayName: String(input.displayName),
      accountEnabled: input.accountEnabled === true,
      mail: input.mail ?? upn,
      createdDateTime: new Date().toISOString(),
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
    };
    this.store.saveUser(user);
    return ok({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...user }, 201);
  }

  /** PATCH /users/{id} (user-update): 204 */
  private updateUser(user: UserDoc, body: unknown, roles?: string[]): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    const invalid = validateUserProperties(input, { domains: this.tenant().domains, roles, update: true });
    if (invalid) return invalid;
    if (typeof input.userPrincipalName === 'string' && this.store.upnTaken(input.userPrincipalName, user.id)) {
      return badRequest('Another object with the same value for property userPrincipalName already exists.', [
        { code: 'ObjectConflict', target: 'userPrincipalName' },
      ]);
    }
    this.store.saveUser({ ...user, ...pick(input) });
    return noContent();
  }

  /** DELETE /users/{id} (user-delete): soft delete into deleted items for 30 days */
  private deleteUser(user: UserDoc): EmulatorResponse {
    this.store.db.transaction(() => {
      this.store.removeFromAllContainers(user.id);
      this.store.setManager(user.id, null);
      this.store.saveUser({ ...user, deletedDateTime: new Date().toISOString() });
    })();
    return noContent();
  }

  /** POST /directory/deletedItems/{id}/restore (directory-deleteditems-restore): 200 with the object */
  private restoreUser(user: UserDoc): EmulatorResponse {
    if (this.store.upnTaken(user.userPrincipalName, user.id)) {
      return badRequest('Another object with the same value for property userPrincipalName already exists.', [
        { code: 'ObjectConflict', target: 'userPrincipalName' },
      ]);
    }
    const restored = { ...user, deletedDateTime: null };
    this.store.saveUser(restored);
    return ok(restored);
  }

  /** PUT /users/{id}/manager/$ref (user-post-manager): 204 */
  private setManager(user: UserDoc, body: unknown): EmulatorResponse {
    const managerId = refId(body);
    if (!managerId) return badRequest("Invalid '@odata.id' in request body.");
    if (!this.resolveUser(managerId)) return notFound(managerId);
    if (managerId === user.id) return badRequest('A user cannot be their own manager.');
    this.store.setManager(user.id, managerId);
    return noContent();
  }

  /**
   * PATCH /groups/{id} with members@odata.bind: "up to 20 members can be added in a single request", all or
   * nothing (https://learn.microsoft.com/graph/api/group-post-members, example 2); refused on a dynamic group.
   */
  private patchGroup(groupId: string, body: unknown): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    const binds = input['members@odata.bind'];
    if (binds !== undefined) {
      if (!Array.isArray(binds)) return badRequest("Invalid value for 'members@odata.bind'.");
      if (isDynamicGroup(this.store.getGroup(groupId)!)) return dynamicMembershipRefused('group');
      if (binds.length > 20)
        return badRequest('The maximum number of members that can be added in a single request is 20.');
      return this.addMembers(
        groupId,
        binds.map((b) => lastSegment(String(b))),
      );
    }
    const group = this.store.getGroup(groupId)!;
    this.store.saveGroup({ ...group, ...input, id: groupId });
    return noContent();
  }

  private addMembers(groupId: string, memberIds: (string | null)[]): EmulatorResponse {
    for (const id of memberIds) {
      if (!id || !this.resolveUser(id)) return notFound(id ?? '');
      if (this.store.isMember(groupId, id)) {
        return badRequest(
          "One or more added object references already exist for the following modified properties: 'members'.",
        );
      }
    }
    this.store.db.transaction(() => memberIds.forEach((id) => this.store.addMember(groupId, id!)))();
    return noContent();
  }

  /** POST /users/{id}/assignLicense (user-assignlicense): needs usageLocation; 200 with the user */
  private assignLicense(user: UserDoc, body: unknown): EmulatorResponse {
    const input = (body ?? {}) as {
      addLicenses?: { skuId: string; disabledPlans?: string[] }[];
      removeLicenses?: string[];
    };
    if (!Array.isArray(input.addLicenses) || !Array.isArray(input.removeLicenses)) {
      return badRequest('addLicenses and removeLicenses are required (use empty arrays).');
    }
    if (input.addLicenses.length && !user.usageLocation) {
      return badRequest('License assignment cannot be done for user with invalid usage location.');
    }
    const skus = new Map(this.store.skus().map((s) => [s.skuId, s]));
    for (const add of input.addLicenses) {
      const sku = skus.get(add.skuId);
      if (!sku) return badRequest(`License ${add.skuId} does not correspond to a valid company License.`);
      if (!user.assignedLicenses.some((l) => l.skuId === add.skuId) && this.consumed(add.skuId) >= sku.enabledUnits) {
        return badRequest(`Subscription ${sku.skuPartNumber} does not have any available licenses.`);
      }
    }
    const kept = user.assignedLicenses.filter(
      (l) => !input.removeLicenses!.includes(l.skuId) && !input.addLicenses!.some((a) => a.skuId === l.skuId),
    );
    const updated = {
      ...user,
      assignedLicenses: [
        ...kept,
        ...input.addLicenses.map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans ?? [] })),
      ],
    };
    this.store.saveUser(updated);
    return ok(updated);
  }

  private skuPart(skuId: string): string {
    return this.store.skus().find((s) => s.skuId === skuId)?.skuPartNumber ?? skuId;
  }

  private consumed(skuId: string): number {
    return new LicenceLedger(this.store).consumed(skuId);
  }

  /** licenseAssignmentStates of the user (licences.ts). */
  licenseStates(user: UserDoc): { skuId: string; assignedByGroup: string | null; state: string; error: string }[] {
    return new LicenceLedger(this.store).states(user);
  }

  /** POST .../temporaryAccessPassMethods (authentication-post-temporaryaccesspassmethods): 201, one TAP per user */
  private createTap(user: UserDoc, body: unknown): EmulatorResponse {
    const input = (body ?? {}) as { lifetimeInMinutes?: number; isUsableOnce?: boolean; startDateTime?: string };
    const lifetime = input.lifetimeInMinutes ?? 60;
    // Policy defaults (howto-authentication-temporary-access-pass): min 60, max 480 minutes; API bounds 10..43200.
    if (!Number.isInteger(lifetime) || lifetime < 60 || lifetime > 480) {
      return badRequest('The lifetime of the Temporary Access Pass is outside the range allowed by the policy.');
    }
    const start = input.startDateTime ?? new Date().toISOString();
    const tap = {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      id: randomUUID(),
      temporaryAccessPass: randomBytes(6).toString('base64url').slice(0, 8),
      createdDateTime: new Date().toISOString(),
      startDateTime: start,
      lifetimeInMinutes: lifetime,
      isUsableOnce: input.isUsableOnce ?? false,
      isUsable: Date.parse(start) <= Date.now() && user.accountEnabled,
      methodUsabilityReason:
        Date.parse(start) > Date.now() ? 'NotYetValid' : user.accountEnabled ? 'EnabledByPolicy' : 'DisabledByPolicy',
    };
    this.store.replaceTap(user.id, tap);
    return ok(tap, 201);
  }

  /** POST /users/{id}/sendMail (user-sendmail): 202, message lands in the outbox */
  private sendMail(user: UserDoc, body: unknown): EmulatorResponse {
    const message = (body as { message?: { subject?: string; toRecipients?: unknown[] } } | null)?.message;
    if (!message?.toRecipients?.length)
      return odataError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    this.store.addMail(user.userPrincipalName, message);
    return noContent(202);
  }

  /**
   * POST /$batch: "JSON batch requests are currently limited to 20 individual requests", dependsOn, 424 on a
   * failed dependency (https://learn.microsoft.com/graph/json-batching#batch-size-limitations). Items run with
   * the caller's token and their own headers (ConsistencyLevel goes in the item, aad-advanced-queries).
   */
  private batch(req: GraphRequest): EmulatorResponse {
    this.stats.batches++;
    const body = (req.body ?? {}) as {
      requests?: {
        id: string;
        method: string;
        url: string;
        body?: unknown;
        dependsOn?: string[];
        headers?: Record<string, string>;
      }[];
    };
    const requests = body.requests;
    if (!Array.isArray(requests) || requests.length === 0) return badRequest('Invalid batch payload.');
    if (requests.length > 20) return badRequest('The number of batch requests exceeds the limit of 20.');
    const statusById = new Map<string, number>();
    const responses: { id: string; status: number; headers?: Record<string, string>; body?: unknown }[] = [];
    const throttledUntil = this.throttledUntil;
    for (const item of requests) {
      if (item.body !== undefined && !item.headers?.['Content-Type'] && !item.headers?.['content-type']) {
        responses.push({
          id: item.id,
          status: 400,
          body: badRequest('Content-Type header is required when a body is present.').body,
        });
        statusById.set(item.id, 400);
        continue;
      }
      const failedDependency = (item.dependsOn ?? []).some((dep) => (statusById.get(dep) ?? 0) >= 400);
      if (failedDependency) {
        responses.push({
          id: item.id,
          status: 424,
          body: odataError(424, 'FailedDependency', 'A dependent request failed.').body,
        });
        statusById.set(item.id, 424);
        continue;
      }
      const url = new URL(item.url, 'http://batch');
      const headers = Object.fromEntries(
        Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
      const inner = this.handle(
        {
          method: item.method.toUpperCase(),
          path: url.pathname,
          query: url.searchParams,
          body: item.body,
          version: req.version,
          headers,
          roles: req.roles,
          rawUrl: item.url.startsWith('/') ? item.url : `/${item.url}`,
          baseUrl: req.baseUrl,
        },
        true,
        throttledUntil,
      );
      statusById.set(item.id, inner.status);
      responses.push({ id: item.id, status: inner.status, headers: inner.headers, body: inner.body });
    }
    return ok({ responses });
  }
}

/**
 * Dynamic membership: "you can't manually add or remove members" of a group whose groupTypes contains
 * DynamicMembership, nor of a dynamic administrative unit; the rule decides
 * (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership,
 * https://learn.microsoft.com/entra/identity/role-based-access-control/admin-units-members-dynamic). Graph answers
 * 400 Request_BadRequest; the message wording is the emulator's own (Graph documents none).
 */
function dynamicMembershipRefused(kind: 'group' | 'unit'): EmulatorResponse {
  return badRequest(
    kind === 'group'
      ? 'Members of a group with dynamic membership (groupTypes contains DynamicMembership) cannot be added ' +
          'or removed; its membershipRule decides.'
      : 'Members of an administrative unit with dynamic membership cannot be added or removed; ' +
          'its membershipRule decides.',
  );
}

/** Keeps only writable user properties (no id/createdDateTime injection). */
function pick(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => (USER_FIELDS as readonly string[]).includes(key)));
}

function isBatch(req: GraphRequest): boolean {
  return req.method === 'POST' && req.path === '/$batch';
}

function refId(body: unknown): string | null {
  const ref = (body as { '@odata.id'?: unknown } | null)?.['@odata.id'];
  return typeof ref === 'string' ? lastSegment(ref) : null;
}

function lastSegment(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? '';
}
