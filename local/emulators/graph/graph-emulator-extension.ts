import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { HostExtension } from '../../host/extension';
import { readWholeBody } from '../../host/http/read-body';
import { isLoopback } from '../../host/loopback';
import { LocalClock } from '../../durable/local-clock';
import { GraphApi } from './graph-api';
import { holdUnanswered, pickHangFaults, takeHang } from './hang-fault';
import type { EmulatorResponse } from './odata';
import { odataError } from './odata';
import { ADMINISTRATIVE_UNIT_TYPE, DIRECTORY_ROLE_TYPE, isDynamicGroup, memberOf } from './memberships';
import type { GroupDoc } from './store';
import { GraphStore } from './store';
import { TokenService } from './token-service';
import { z } from 'zod';
import { lifecycleWorkflowsState } from './lcw/lcw-admin-state';
import { LifecycleScheduler } from './lcw/lcw-scheduler';
import { lcwSettings } from './lcw/lcw-settings';
import { LogicAppStandIn } from './lcw/logic-app-stand-in';

/** Lifecycle Workflows on the emulator: the clock it runs on and where its Logic App stand-in forwards. */
export interface LifecycleOptions {
  /** The local clock (default: real time). On the local host, the durable clock (POST /_local/clock). */
  now?: () => number;
  /** The app's POST /api/lcw/tasks (default ENTRA_JML_LCW_CALLOUT_URL, else the origin's /api/lcw/tasks). */
  calloutUrl?: () => string;
  /** Scheduler passes every this many ms (0, the default here: only POST /_local/graph/_admin/lcw/run). */
  intervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

/** How long the stand-in's forward may take: the Logic App HTTP action's timeout, not LCW's 2-second trigger one. */
const FORWARD_TIMEOUT_MS = 30_000;

/**
 * Serves the local Entra/Graph emulator on the host's listener:
 *   /_local/graph/v1.0/...  /_local/graph/beta/...   Microsoft Graph (bearer token required)
 *   /_local/entra/{tenant}/oauth2/v2.0/token         client-credentials tokens
 *   /_local/entra/{tenant}/discovery/v2.0/keys        JWKS
 *   /_local/graph/_admin/...                          reset, faults, outbox, stats, state (loopback only)
 */
const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/**
 * Application roles in the tokens the emulator issues to the app (client credentials): the permissions the app
 * is granted in a tenant (shared/adapters/graph/permissions.ts), so a call the real grant would refuse is refused
 * here too. User-LifeCycleInfo.ReadWrite.All lets it write employeeLeaveDateTime (user-properties.ts).
 */
const APP_TOKEN_ROLES = [
  'User.ReadWrite.All',
  'User-LifeCycleInfo.ReadWrite.All',
  'GroupMember.ReadWrite.All',
  'User.RevokeSessions.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All',
  'Organization.Read.All',
  'Mail.Send',
  'AuditLog.Read.All',
  'LifecycleWorkflows.ReadWrite.All',
  'PrivilegedAssignmentSchedule.Read.AzureADGroup',
];

export class GraphEmulator {
  private constructor(
    readonly api: GraphApi,
    readonly tokens: TokenService,
    private readonly origin: () => string,
    readonly lifecycle: LifecycleScheduler,
  ) {}

  static async open(dataDir: string, origin: () => string, options: LifecycleOptions = {}): Promise<GraphEmulator> {
    const store = new GraphStore(path.join(dataDir, 'graph-emulator.sqlite'));
    const api = new GraphApi(store);
    const tokens = await TokenService.create(store, api.tenant().tenantId, () => `${origin()}/_local/entra`);
    const settings = lcwSettings();
    const now = options.now ?? (() => Date.now());
    const calloutUrl = options.calloutUrl ?? (() => settings.calloutUrl ?? `${origin()}/api/lcw/tasks`);
    const logicApp = new LogicAppStandIn(tokens, {
      audience: settings.audience,
      callerAppId: settings.callerAppId,
      targetUrl: calloutUrl,
      attemptTimeoutMs: FORWARD_TIMEOUT_MS,
    });
    const scheduler = new LifecycleScheduler(api.lifecycle.store, store, logicApp, now, options.log);
    api.lifecycle.now = now;
    api.lifecycle.onChange = () => scheduler.kick();
    // A tenant seeded before the Lifecycle Workflows seed existed gets it; ENTRA_JML_LOCAL_LCW decides if it runs.
    api.seedLifecycleWorkflows();
    scheduler.start(options.intervalMs ?? 0);
    return new GraphEmulator(api, tokens, origin, scheduler);
  }

  async close(): Promise<void> {
    await this.lifecycle.stop();
    this.api.store.close();
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const p = url.pathname;
    if (p.startsWith('/_local/entra/')) {
      await this.handleEntra(req, res, url);
      return true;
    }
    if (p.startsWith('/_local/graph/_admin/')) {
      await this.handleAdmin(req, res, url);
      return true;
    }
    const m = /^\/_local\/graph\/(v1\.0|beta)(\/.*)$/.exec(p);
    if (!m) return false;
    this.api.stats.httpRequests++;
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(auth)?.[1];
    const claims = (token ? await this.tokens.verifiedClaims(token, GRAPH_AUDIENCE) : null) as
      (Awaited<ReturnType<TokenService['verifiedClaims']>> & { scp?: unknown; appid?: unknown }) | null;
    if (!claims) {
      send(res, odataError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.'));
      return true;
    }
    const raw = await readWholeBody(req);
    let body: unknown;
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        send(res, odataError(400, 'BadRequest', 'Unable to read JSON request payload.'));
        return true;
      }
    }
    // The "Graph timeout" fault (hang-fault.ts): accepted, read, and never answered (applied or not).
    const hang = takeHang(this.api.faults);
    if (hang && !hang.applied) {
      await holdUnanswered(req, res, hang.ms);
      return true;
    }
    const response = this.api.handle({
      method: (req.method ?? 'GET').toUpperCase(),
      path: m[2]!,
      query: url.searchParams,
      body,
      version: m[1] as 'v1.0' | 'beta',
      headers: lowerCaseHeaders(req.headers),
      roles: claims.roles,
      // Delegated tokens carry space-separated scopes in scp (access-tokens#payload-claims).
      scopes: typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [],
      appId: typeof claims.appid === 'string' ? claims.appid : undefined,
      rawUrl: m[2]! + url.search,
      baseUrl: `${this.origin()}/_local/graph/${m[1]}`,
    });
    if (hang) await holdUnanswered(req, res, hang.ms);
    else send(res, response);
    return true;
  }

  private async handleEntra(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const m = /^\/_local\/entra\/([^/]+)\/(.*)$/.exec(url.pathname);
    const tenant = this.api.tenant();
    if (!m || (m[1] !== tenant.tenantId && m[1] !== '_admin')) return send(res, json(404, { error: 'invalid_tenant' }));
    const rest = m[2]!;
    if (m[1] === '_admin' && rest === 'token' && req.method === 'POST') {
      // Test helper: mint any token (loopback only) for inbound endpoint tests.
      if (!isLoopback(req)) return send(res, json(403, { error: 'loopback only' }));
      const claims = parseAdminJson(await readWholeBody(req));
      if ('problem' in claims) return send(res, json(400, { error: claims.problem }));
      if (typeof claims.value.aud !== 'string') return send(res, json(400, { error: 'aud: a string is required' }));
      return send(res, json(200, { access_token: await this.tokens.mint(claims.value as { aud: string }) }));
    }
    if (rest === 'discovery/v2.0/keys') return send(res, json(200, this.tokens.jwks()));
    if (rest === 'v2.0/.well-known/openid-configuration') {
      const base = `${this.origin()}/_local/entra/${tenant.tenantId}`;
      return send(
        res,
        json(200, {
          issuer: this.tokens.issuer(),
          token_endpoint: `${base}/oauth2/v2.0/token`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
        }),
      );
    }
    if (rest === 'oauth2/v2.0/token' && req.method === 'POST') {
      const form = new URLSearchParams((await readWholeBody(req)).toString('utf8'));
      // v2-oauth2-client-creds-grant-flow: errors are {error, error_description}
      if (form.get('grant_type') !== 'client_credentials')
        return send(res, json(400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003' }));
      if (form.get('client_id') !== tenant.app.clientId || form.get('client_secret') !== tenant.app.clientSecret) {
        return send(
          res,
          json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }),
        );
      }
      const scope = form.get('scope') ?? '';
      const aud = scope.replace(/\/\.default$/, '') || GRAPH_AUDIENCE;
      const token = await this.tokens.mint({
        aud,
        appid: tenant.app.clientId,
        roles: APP_TOKEN_ROLES,
      });
      return send(
        res,
        json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token }),
      );
    }
    send(res, json(404, { error: 'not_found' }));
  }

  private async handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!isLoopback(req))
      return send(res, json(403, { error: 'the emulator admin API answers loopback callers only' }));
    const action = url.pathname.slice('/_local/graph/_admin/'.length);
    const parsed = parseAdminJson(await readWholeBody(req));
    // A body that is not a JSON object is the caller's mistake: 400 with the reason (RFC 9110 §15.5.1), not 500.
    if ('problem' in parsed) return send(res, json(400, { error: parsed.problem }));
    const input = parsed.value;
    const api = this.api;
    switch (`${req.method} ${action}`) {
      case 'POST reset':
        api.seed();
        Object.assign(api.stats, {
          httpRequests: 0,
          requests: 0,
          writes: 0,
          writesByKind: {},
          batches: 0,
          throttled: 0,
        });
        return send(res, json(200, { reset: true }));
      case 'POST faults':
        Object.assign(api.faults, pickFaults(input));
        return send(res, json(200, api.faults));
      case 'POST write-budget/reset':
        // Benches start a run with the whole budget, as a tenant idle for 150 s has it.
        api.resetWriteBudget();
        return send(res, json(200, { reset: true }));
      case 'GET faults':
        return send(res, json(200, api.faults));
      case 'GET stats':
        return send(res, json(200, api.stats));
      case 'POST stats/reset':
        Object.assign(api.stats, {
          httpRequests: 0,
          requests: 0,
          writes: 0,
          writesByKind: {},
          batches: 0,
          throttled: 0,
        });
        return send(res, json(200, api.stats));
      case 'GET outbox':
        return send(res, json(200, { value: api.store.outbox() }));
      case 'GET state':
        return send(res, json(200, this.state()));
      case 'GET relations':
        // Users with their manager and the groups they were added to, without the licence and memberOf work of
        // `state`: what a bench over a large tenant reads back through the admin API (emulator in a worker).
        return send(
          res,
          json(200, {
            value: api.store.listUsers(false).map((u) => ({
              id: u.id,
              employeeId: u.employeeId ?? null,
              manager: api.store.getManagerId(u.id),
              groups: api.store.groupIdsOf(u.id),
            })),
          }),
        );
      case 'GET lifecycle-resumes':
        return send(res, json(200, { value: api.lifecycle.store.list('resume') }));
      case 'POST lcw/task-processing-results': {
        // A task waiting for its resume, as a workflow run leaves it before its callout: for tests that send their
        // own callouts to the app (bad tokens, duplicates) yet need a resume Graph accepts (unknown ids are 404).
        const pending = PendingTaskResult.safeParse(input);
        if (!pending.success) return send(res, json(400, { error: pending.error.issues[0]?.message }));
        const at = new Date().toISOString();
        const { id, workflowId, taskId, subjectId } = pending.data;
        api.lifecycle.store.put('taskProcessingResult', {
          id,
          runId: randomUUID(),
          userProcessingResultId: randomUUID(),
          workflowId,
          taskId,
          subject: { id: subjectId },
          processingStatus: 'inProgress',
          createdDateTime: at,
          startedDateTime: at,
          completedDateTime: null,
          failureReason: null,
        });
        return send(res, json(201, { id }));
      }
      case 'POST lcw/run':
        // One Lifecycle Workflows scheduler pass now (triggers, callouts, callback timeouts on the local clock).
        return send(res, json(200, await this.lifecycle.runOnce()));
      default:
        return send(res, json(404, { error: `unknown admin action ${action}` }));
    }
  }

  /** The whole tenant in one JSON document: users with manager and group names (demos, tests). */
  state(): unknown {
    const store = this.api.store;
    const groups = new Map(store.listGroups().map((g) => [g.id, g.displayName]));
    const describe = (deleted: boolean) =>
      store.listUsers(deleted).map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        displayName: u.displayName,
        employeeId: u.employeeId ?? null,
        department: u.department ?? null,
        jobTitle: u.jobTitle ?? null,
        officeLocation: u.officeLocation ?? null,
        signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime ?? null,
        accountEnabled: u.accountEnabled,
        deletedDateTime: u.deletedDateTime,
        manager: store.getManagerId(u.id),
        employeeHireDate: u.employeeHireDate ?? null,
        employeeLeaveDateTime: u.employeeLeaveDateTime ?? null,
        // Groups the user was added to; dynamic groups, roles and units are listed apart (`memberOf`).
        groups: store.groupIdsOf(u.id).map((id) => groups.get(id) ?? id),
        memberOf: deleted
          ? []
          : memberOf(store, u).map((o) => ({
              kind: kindOf(o),
              displayName: o.displayName,
            })),
        licenses: this.api.licenseStates(u),
      }));
    return {
      users: describe(false),
      deletedUsers: describe(true),
      skus: store.skus(),
      lifecycleWorkflows: lifecycleWorkflowsState(this.api.lifecycle.store),
    };
  }
}

function kindOf(o: Record<string, unknown>): string {
  if (o['@odata.type'] === DIRECTORY_ROLE_TYPE) return 'directoryRole';
  if (o['@odata.type'] === ADMINISTRATIVE_UNIT_TYPE) return 'administrativeUnit';
  return isDynamicGroup(o as GroupDoc) ? 'dynamicGroup' : 'group';
}

/** An admin request body: empty, or a JSON object. */
function parseAdminJson(raw: Buffer): { value: Record<string, unknown> } | { problem: string } {
  if (!raw.length) return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { problem: `malformed JSON body: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'the body must be a JSON object' };
  return { value: value as Record<string, unknown> };
}

function pickFaults(input: Record<string, unknown>): Partial<GraphApi['faults']> {
  const out: Partial<GraphApi['faults']> = {};
  if (typeof input.throttleNext === 'number') out.throttleNext = input.throttleNext;
  if (typeof input.throttleNextBatchItems === 'number') out.throttleNextBatchItems = input.throttleNextBatchItems;
  if (typeof input.throttleRetryAfterSeconds === 'number')
    out.throttleRetryAfterSeconds = input.throttleRetryAfterSeconds;
  if (typeof input.replicationLagMs === 'number') out.replicationLagMs = input.replicationLagMs;
  if (typeof input.realLimits === 'boolean') out.realLimits = input.realLimits;
  if (typeof input.serverPageSize === 'number') out.serverPageSize = input.serverPageSize;
  // A timed outage (GraphApi.faults.unavailableUntil): an instant (epoch ms) or seconds from now.
  if (typeof input.unavailableUntil === 'number') out.unavailableUntil = input.unavailableUntil;
  if (typeof input.outageSeconds === 'number') out.unavailableUntil = Date.now() + input.outageSeconds * 1000;
  if (input.unavailableStatus === 429 || input.unavailableStatus === 503)
    out.unavailableStatus = input.unavailableStatus;
  if (typeof input.unavailableInBatchItems === 'boolean') out.unavailableInBatchItems = input.unavailableInBatchItems;
  if (typeof input.unavailable === 'boolean') out.unavailable = input.unavailable;
  if (typeof input.unavailableAfter === 'string') out.unavailableAfter = input.unavailableAfter;
  return { ...out, ...pickHangFaults(input) };
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json' }, body };
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  const text = response.headers?.['content-type']?.startsWith('text/plain') && typeof response.body === 'string';
  const payload = response.body === undefined ? '' : text ? (response.body as string) : JSON.stringify(response.body);
  res.writeHead(response.status, {
    ...(payload && !text ? { 'content-type': 'application/json' } : {}),
    ...(response.headers ?? {}),
  });
  res.end(payload);
}

/** Host extension: the emulator on the host's own listener (the embedded default). */
export function createGraphEmulatorExtension(): HostExtension & { emulator(): GraphEmulator | undefined } {
  let emulator: GraphEmulator | undefined;
  return {
    name: 'graph-emulator',
    triggerTypes: [],
    emulator: () => emulator,
    async start(services) {
      // Lifecycle Workflows run on the durable clock (clock.json in the data folder, written by POST /_local/clock).
      const clock = () => new LocalClock(services.dataDir).now();
      emulator = await GraphEmulator.open(services.dataDir, () => services.baseUrl(), {
        now: clock,
        intervalMs: lcwSettings().intervalMs,
        log: (message, error) => services.logger.warn({ component: 'graph-emulator', error: String(error) }, message),
      });
    },
    handleHttp(req, res, url) {
      if (!emulator || !url.pathname.startsWith('/_local/')) return false;
      return emulator.handle(req, res, url);
    },
    async stop() {
      await emulator?.close();
    },
  };
}

/** Standalone emulator server for tests and benches. */
export async function startGraphEmulatorServer(options: {
  port?: number;
  dataDir: string;
  lifecycle?: LifecycleOptions;
}): Promise<{ baseUrl: string; emulator: GraphEmulator; close(): Promise<void> }> {
  let origin = '';
  const emulator = await GraphEmulator.open(options.dataDir, () => origin, options.lifecycle);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    emulator.handle(req, res, url).then(
      (handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end();
        }
      },
      (error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => emulator.close()),
  };
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** POST /_local/graph/_admin/lcw/task-processing-results: a pending task as a workflow run would leave it. */
const PendingTaskResult = z.object({
  id: z.string().min(1),
  workflowId: z.string().min(1),
  taskId: z.string().min(1),
  subjectId: z.string().min(1),
});
