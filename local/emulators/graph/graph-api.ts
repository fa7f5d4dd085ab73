import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import demoTenant from './seed/demo-tenant.json';
import { badRequest, noContent, notFound, odataError, ok, parseFilter, select, type EmulatorResponse } from './odata';
import type { GraphStore, UserDoc } from './store';

/**
 * The Microsoft Graph v1.0 calls entra-jml makes, answered like Graph answers them. Each handler cites
 * the Graph API page it follows. The store is the emulator's tenant; `faults` injects throttling and
 * replication lag on demand; `limits` enforces Graph's documented write budget when asked.
 */
export interface EmulatorFaults {
  /** The next N requests answer 429 with Retry-After. */
  throttleNext: number;
  throttleRetryAfterSeconds: number;
  /** A user created less than this many ms ago answers 404 (eventual consistency). */
  replicationLagMs: number;
  /** Enforce 3,000 writes per 150 s per app+tenant (throttling-limits#identity-and-access-service-limits). */
  realLimits: boolean;
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
}

const WRITE_WINDOW_MS = 150_000;
const WRITE_BUDGET = 3_000;
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
    throttleRetryAfterSeconds: 1,
    replicationLagMs: 0,
    realLimits: false,
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
  readonly lifecycleResumes: { path: string; body: unknown }[] = [];

  constructor(
    readonly store: GraphStore,
    private readonly seedFile?: string,
  ) {
    if (!store.isSeeded()) this.seed();
  }

  seed(): void {
    const tenant = this.tenantDocument() as {
      skus: { skuId: string; skuPartNumber: string; enabledUnits: number }[];
      groups: { id: string; displayName: string; assignedLicenses?: string[] }[];
      users: Partial<UserDoc>[];
    };
    this.store.db.transaction(() => {
      this.store.reset();
      for (const sku of tenant.skus) this.store.saveSku(sku);
      for (const group of tenant.groups)
        this.store.saveGroup({ ...group, mailNickname: group.displayName.replace(/[^A-Za-z0-9]/g, '') });
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
      this.store.markSeeded(tenant);
    })();
  }

  /** The seed: the demo tenant shipped with the emulator, or a file given by the caller. */
  private tenantDocument(): unknown {
    return this.seedFile ? JSON.parse(readFileSync(this.seedFile, 'utf8')) : demoTenant;
  }

  tenant(): { tenantId: string; domains: string[]; app: { clientId: string; clientSecret: string } } {
    return this.tenantDocument() as ReturnType<GraphApi['tenant']>;
  }

  /** Entry point for one request (also used for each item of a $batch). */
  handle(req: GraphRequest): EmulatorResponse {
    this.stats.requests++;
    if (this.faults.throttleNext > 0) {
      this.faults.throttleNext--;
      return this.throttled(this.faults.throttleRetryAfterSeconds);
    }
    const isWrite = req.method !== 'GET';
    if (isWrite && req.path !== '/$batch') {
      if (this.faults.realLimits) {
        const now = Date.now();
        while (this.writeTimes.length && this.writeTimes[0]! <= now - WRITE_WINDOW_MS) this.writeTimes.shift();
        if (this.writeTimes.length >= WRITE_BUDGET) {
          return this.throttled(Math.max(1, Math.ceil((this.writeTimes[0]! + WRITE_WINDOW_MS - now) / 1000)));
        }
        this.writeTimes.push(now);
      }
      this.stats.writes++;
      const kind = `${req.method} ${req.path.replace(/\/[0-9a-f-]{36}(?=\/|$)/gi, '/{id}').replace(/\/users\/[^/]+@[^/]+/g, '/users/{upn}')}`;
      this.stats.writesByKind[kind] = (this.stats.writesByKind[kind] ?? 0) + 1;
    }
    try {
      return this.route(req);
    } catch (error) {
      return odataError(500, 'generalException', error instanceof Error ? error.message : String(error));
    }
  }

  private throttled(retryAfterSeconds: number): EmulatorResponse {
    this.stats.throttled++;
    // https://learn.microsoft.com/graph/throttling: 429 + Retry-After (seconds)
    const response = odataError(
      429,
      'TooManyRequests',
      'Too many requests. Retry after the interval in the Retry-After header.',
    );
    response.headers = { ...response.headers, 'retry-after': String(retryAfterSeconds) };
    return response;
  }

  private route(req: GraphRequest): EmulatorResponse {
    const { method, path: p } = req;
    const seg = p.split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'POST' && p === '/$batch') return this.batch(req);
    if (req.version === 'beta' && method === 'POST' && /\/resume$/.test(p)) {
      // Lifecycle Workflows resume (identitygovernance-taskprocessingresult-resume): 204
      this.lifecycleResumes.push({ path: p, body: req.body });
      return noContent();
    }
    if (seg[0] === 'users') {
      if (seg.length === 1)
        return method === 'GET'
          ? this.listUsers(req)
          : method === 'POST'
            ? this.createUser(req.body)
            : this.methodNotAllowed();
      if (seg.length === 2 && seg[1] === '$count' && method === 'GET') return this.countUsers(req);
      const user = this.resolveUser(seg[1]!);
      if (!user) return notFound(seg[1]!);
      const rest = seg.slice(2).join('/');
      if (rest === '') {
        if (method === 'GET') return ok(select(user, req.query.get('$select')));
        if (method === 'PATCH') return this.updateUser(user, req.body);
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
      if ((rest === 'memberOf' || rest === 'transitiveMemberOf') && method === 'GET') {
        const groups = this.store
          .groupIdsOf(user.id)
          .map((id) => this.store.getGroup(id))
          .filter((g) => g !== null);
        return ok({
          value: groups.map((g) => ({
            '@odata.type': '#microsoft.graph.group',
            ...select(g, req.query.get('$select')),
          })),
        });
      }
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
      if (seg.length === 1 && method === 'GET') return ok({ value: this.store.listGroups() });
      const group = this.store.getGroup(seg[1] ?? '');
      if (!group) return notFound(seg[1] ?? '');
      if (seg.length === 2 && method === 'GET') return ok(group);
      if (seg.length === 2 && method === 'PATCH') return this.patchGroup(group.id, req.body);
      if (seg[2] === 'members' && seg.length === 3 && method === 'GET') {
        return ok({
          value: this.store
            .memberIdsOf(group.id)
            .map((id) => this.store.getUser(id))
            .filter(Boolean),
        });
      }
      if (seg[2] === 'members' && seg[3] === '$ref' && method === 'POST')
        return this.addMembers(group.id, [refId(req.body)]);
      if (seg[2] === 'members' && seg[4] === '$ref' && method === 'DELETE') {
        // group-delete-members: 404 when not a member
        return this.store.removeMember(group.id, seg[3]!) ? noContent() : notFound(seg[3]!);
      }
      return this.methodNotAllowed();
    }
    if (seg[0] === 'subscribedSkus' && method === 'GET') {
      return ok({
        value: this.store.skus().map((sku) => ({
          ...sku,
          consumedUnits: this.consumed(sku.skuId),
          prepaidUnits: { enabled: sku.enabledUnits },
        })),
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

  private methodNotAllowed(): EmulatorResponse {
    return odataError(405, 'Request_BadRequest', 'The requested HTTP method is not supported for this resource.');
  }

  private resolveUser(idOrUpn: string): UserDoc | null {
    const user = idOrUpn.includes('@') ? this.store.findUserByUpn(idOrUpn) : this.store.getUser(idOrUpn);
    if (!user) return null;
    // Replication lag on demand: a just-created object is not yet visible (known issue noted in CONTRACTS 4.11).
    if (
      this.faults.replicationLagMs > 0 &&
      Date.now() - Date.parse(user.createdDateTime) < this.faults.replicationLagMs
    )
      return null;
    return user;
  }

  /** GET /users?$filter= (user-list, filter-query-parameter) */
  private listUsers(req: GraphRequest, deleted = false): EmulatorResponse {
    const filter = req.query.get('$filter');
    const $select = req.query.get('$select');
    const top = Math.min(999, Number(req.query.get('$top') ?? 100));
    let users: UserDoc[];
    if (filter) {
      const clauses = parseFilter(filter);
      if (!clauses)
        return odataError(
          400,
          'Request_UnsupportedQuery',
          `Unsupported or invalid query filter clause specified for property '${filter}'.`,
        );
      const column = { employeeId: 'employee_id', userPrincipalName: 'upn', mailNickname: 'nickname' } as const;
      const found = new Map<string, UserDoc>();
      for (const clause of clauses) {
        const col = column[clause.property as keyof typeof column];
        if (!col)
          return odataError(
            400,
            'Request_UnsupportedQuery',
            `Unsupported query filter on property '${clause.property}'.`,
          );
        for (const value of clause.values)
          for (const user of this.store.findUsers(col, value, deleted)) found.set(user.id, user);
      }
      users = [...found.values()];
    } else {
      users = this.store.listUsers(deleted);
    }
    return ok({ value: users.slice(0, top).map((u) => select(u, $select)) });
  }

  /**
   * GET /users/$count: the number as text/plain; an advanced query, so it needs `ConsistencyLevel: eventual`
   * (learn.microsoft.com/graph/aad-advanced-queries, user-list "Get only a count of users"); without it, 400.
   */
  private countUsers(req: GraphRequest): EmulatorResponse {
    if (req.headers?.consistencylevel?.toLowerCase() !== 'eventual')
      return badRequest('$count is not currently supported.');
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: String(this.store.countUsers(false)) };
  }

  /** POST /users (user-post-users): required accountEnabled, displayName, mailNickname, passwordProfile, userPrincipalName */
  private createUser(body: unknown): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    for (const field of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
      if (input[field] === undefined || input[field] === null || input[field] === '') {
        return badRequest(`Invalid value specified for property '${field}' of resource 'User'.`);
      }
    }
    const invalid = this.validateUserFields(input);
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
      mail: (input.mail as string | undefined) ?? upn,
      createdDateTime: new Date().toISOString(),
      deletedDateTime: null,
      signInSessionsValidFromDateTime: null,
      assignedLicenses: [],
    };
    this.store.saveUser(user);
    return ok({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...user }, 201);
  }

  private validateUserFields(input: Record<string, unknown>): EmulatorResponse | null {
    if (typeof input.employeeId === 'string' && input.employeeId.length > 16) {
      // user resource: employeeId max length 16
      return badRequest("Invalid value specified for property 'employeeId' of resource 'User'.");
    }
    if (typeof input.userPrincipalName === 'string') {
      const [local, domain] = input.userPrincipalName.split('@');
      const domains = this.tenant().domains.map((d) => d.toLowerCase());
      if (!local || !domain || !/^[A-Za-z0-9'._!#^~-]+$/.test(local) || !domains.includes(domain.toLowerCase())) {
        return badRequest('Property userPrincipalName is invalid.', [
          { code: 'InvalidValue', target: 'userPrincipalName' },
        ]);
      }
    }
    if (typeof input.mailNickname === 'string' && /[@()\\[\]";:<>,\s]/.test(input.mailNickname)) {
      return badRequest("Invalid value specified for property 'mailNickname' of resource 'User'.");
    }
    if (typeof input.usageLocation === 'string' && !/^[A-Z]{2}$/.test(input.usageLocation)) {
      return badRequest("Invalid value specified for property 'usageLocation' of resource 'User'.");
    }
    return null;
  }

  /** PATCH /users/{id} (user-update): 204 */
  private updateUser(user: UserDoc, body: unknown): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    const invalid = this.validateUserFields(input);
    if (invalid) return invalid;
    if (typeof input.userPrincipalName === 'string' && this.store.upnTaken(input.userPrincipalName, user.id)) {
      return badRequest('Another object with the same value for property userPrincipalName already exists.', [
        { code: 'ObjectConflict', target: 'userPrincipalName' },
      ]);
    }
    this.store.saveUser({ ...user, ...pick(input) } as UserDoc);
    return noContent();
  }

  /** DELETE /users/{id} (user-delete): soft delete into deleted items for 30 days */
  private deleteUser(user: UserDoc): EmulatorResponse {
    this.store.db.transaction(() => {
      for (const groupId of this.store.groupIdsOf(user.id)) this.store.removeMember(groupId, user.id);
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

  /** PATCH /groups/{id} with members@odata.bind (group-post-members): at most 20, all or nothing */
  private patchGroup(groupId: string, body: unknown): EmulatorResponse {
    const input = (body ?? {}) as Record<string, unknown>;
    const binds = input['members@odata.bind'];
    if (binds !== undefined) {
      if (!Array.isArray(binds)) return badRequest("Invalid value for 'members@odata.bind'.");
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

  /** Users holding the SKU directly or through a licence group (group-based licensing). */
  private licensedUserIds(skuId: string): Set<string> {
    const holders = new Set<string>();
    for (const user of this.store.listUsers(false))
      if (user.assignedLicenses.some((l) => l.skuId === skuId)) holders.add(user.id);
    for (const group of this.store.listGroups()) {
      if (!group.assignedLicenses?.includes(skuId)) continue;
      for (const id of this.store.memberIdsOf(group.id)) {
        const user = this.store.getUser(id);
        if (user?.usageLocation) holders.add(id);
      }
    }
    return holders;
  }

  private consumed(skuId: string): number {
    const sku = this.store.skus().find((s) => s.skuId === skuId);
    return Math.min(this.licensedUserIds(skuId).size, sku?.enabledUnits ?? 0);
  }

  /**
   * licenseAssignmentStates (user resource): group licences are Active, or Error with CountViolation when
   * the tenant has no units left, or MutuallyExclusiveViolation-free "UsageLocationNotAllowed"-style error
   * when the user has no usageLocation (licensing-group-problem-resolution-azure-portal).
   */
  licenseStates(user: UserDoc): { skuId: string; assignedByGroup: string | null; state: string; error: string }[] {
    const states: { skuId: string; assignedByGroup: string | null; state: string; error: string }[] =
      user.assignedLicenses.map((l) => ({
        skuId: l.skuId,
        assignedByGroup: null,
        state: 'Active',
        error: 'None',
      }));
    for (const groupId of this.store.groupIdsOf(user.id)) {
      const group = this.store.getGroup(groupId);
      for (const skuId of group?.assignedLicenses ?? []) {
        if (!user.usageLocation) {
          states.push({ skuId, assignedByGroup: groupId, state: 'Error', error: 'UsageLocationNotAllowed' });
          continue;
        }
        const sku = this.store.skus().find((s) => s.skuId === skuId);
        const holders = [...this.licensedUserIds(skuId)];
        const withinUnits = holders.indexOf(user.id) < (sku?.enabledUnits ?? 0);
        states.push({
          skuId,
          assignedByGroup: groupId,
          state: withinUnits ? 'Active' : 'Error',
          error: withinUnits ? 'None' : 'CountViolation',
        });
      }
    }
    return states;
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

  /** POST /$batch (json-batching): ≤ 20 requests, dependsOn, 424 on failed dependency */
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
      const inner = this.handle({
        method: item.method.toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        body: item.body,
        version: req.version,
        headers,
      });
      statusById.set(item.id, inner.status);
      responses.push({ id: item.id, status: inner.status, headers: inner.headers, body: inner.body });
    }
    return ok({ responses });
  }
}

/** Keeps only writable user properties (no id/createdDateTime injection). */
function pick(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([key]) => (USER_FIELDS as readonly string[]).includes(key)));
}

function refId(body: unknown): string | null {
  const ref = (body as { '@odata.id'?: unknown } | null)?.['@odata.id'];
  return typeof ref === 'string' ? lastSegment(ref) : null;
}

function lastSegment(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? '';
}
