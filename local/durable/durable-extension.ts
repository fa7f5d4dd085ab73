import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { HostExtension, HostServices } from '../host/extension';
import type { RpcTypedData } from '../host/function-registry';
import { DurableStore, type InstanceRow } from './durable-store';
import { DurableEngine, InstanceExistsError, UnknownOrchestrationError } from './engine';
import { LocalClock } from './local-clock';
import { readWholeBody } from '../host/http/read-body';
import { isLoopback } from '../host/loopback';

/**
 * Durable Functions on the local host: runs orchestration/activity triggers on DurableEngine, gives the
 * durableClient binding its data, and serves the HTTP API that durable-functions' DurableClient calls
 * through `rpcBaseUrl` (lib/src/durableClient/DurableClient.js; routes and codes follow
 * https://learn.microsoft.com/azure/azure-functions/durable/durable-functions-http-api).
 */
const RUNTIME_PREFIX = '/runtime/webhooks/durabletask/';
const CLOCK_PATH = '/_local/clock';

export interface InstanceStatus {
  name: string;
  instanceId: string;
  createdTime: string;
  lastUpdatedTime: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  historyEvents?: unknown[];
}

function statusOf(row: InstanceRow, withInput = true): InstanceStatus {
  return {
    name: row.name,
    instanceId: row.id,
    createdTime: row.created_at,
    lastUpdatedTime: row.updated_at,
    runtimeStatus: row.status,
    input: withInput ? (JSON.parse(row.input) as unknown) : null,
    output: JSON.parse(row.output) as unknown,
    customStatus: JSON.parse(row.custom_status) as unknown,
  };
}

export function createDurableExtension(): HostExtension & {
  engine(): DurableEngine;
  getInstance(id: string): InstanceStatus | null;
  listInstances(filter?: { prefix?: string; statuses?: string[] }): InstanceStatus[];
  customStatuses(
    prefix: string,
    updatedSince?: string,
  ): { instanceId: string; runtimeStatus: string; customStatus: unknown; lastUpdatedTime: string }[];
} {
  let services: HostServices;
  let store: DurableStore;
  let engine: DurableEngine;
  let clock: LocalClock;
  const hubName = () =>
    (services.hostJson.extensions?.durableTask?.hubName ?? 'TestHubName').replace(
      /%([^%]+)%/g,
      (_, n: string) => process.env[n] ?? 'TestHubName',
    );

  function clientData(): RpcTypedData {
    const base = services.baseUrl();
    const rpcBaseUrl = `${base}${RUNTIME_PREFIX}`;
    const instanceUrl = `${rpcBaseUrl}instances/INSTANCEID`;
    const hub = hubName();
    return {
      json: JSON.stringify({
        taskHubName: hub,
        creationUrls: {
          createNewInstancePostUri: `${rpcBaseUrl}orchestrators/{functionName}[/{instanceId}]`,
          createAndWaitOnNewInstancePostUri:
            `${rpcBaseUrl}orchestrators/{functionName}[/{instanceId}]` +
            '?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}',
        },
        managementUrls: {
          id: 'INSTANCEID',
          statusQueryGetUri: instanceUrl,
          sendEventPostUri: `${instanceUrl}/raiseEvent/{eventName}`,
          terminatePostUri: `${instanceUrl}/terminate?reason={text}`,
          rewindPostUri: `${instanceUrl}/rewind?reason={text}`,
          purgeHistoryDeleteUri: instanceUrl,
          restartPostUri: `${instanceUrl}/restart`,
          suspendPostUri: `${instanceUrl}/suspend?reason={text}`,
          resumePostUri: `${instanceUrl}/resume?reason={text}`,
        },
        baseUrl: rpcBaseUrl,
        requiredQueryStringParameters: '',
        rpcBaseUrl,
      }),
    };
  }

  /** GET /_local/clock; POST {"advance":"P30D"|ms} or {"to":"2027-01-01T00:00:00Z"} (loopback only). */
  async function clockApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!isLoopback(req)) return send(403, { error: 'loopback only' });
    const state = () => ({ now: new Date(clock.now()).toISOString(), offsetMs: clock.offset() });
    if (req.method === 'GET') return send(200, state());
    if (req.method !== 'POST') return send(405, { error: 'GET or POST' });
    const raw = await readWholeBody(req);
    let body: { advance?: unknown; to?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as typeof body;
    } catch {
      return send(400, { error: 'body is not JSON' });
    }
    const ms =
      typeof body.advance === 'number' ? body.advance : typeof body.advance === 'string' ? durationMs(body.advance) : 0;
    if (Number.isNaN(ms) || ms < 0)
      return send(400, {
        error: "'advance' must be a positive number of ms or an ISO 8601 duration like P30D or PT2H",
      });
    try {
      clock.advance({ ms, to: typeof body.to === 'string' ? body.to : undefined });
    } catch (error) {
      return send(400, { error: (error as Error).message });
    }
    engine.wake();
    return send(200, state());
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const rest = url.pathname.slice(RUNTIME_PREFIX.length).split('/').map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const readJson = async (): Promise<unknown> => {
      const text = (await readWholeBody(req)).toString('utf8');
      return text ? (JSON.parse(text) as unknown) : null;
    };
    const links = (id: string) => {
      const base = `${services.baseUrl()}${RUNTIME_PREFIX}instances/${encodeURIComponent(id)}`;
      return {
        id,
        statusQueryGetUri: base,
        sendEventPostUri: `${base}/raiseEvent/{eventName}`,
        terminatePostUri: `${base}/terminate?reason={text}`,
        purgeHistoryDeleteUri: base,
        suspendPostUri: `${base}/suspend?reason={text}`,
        resumePostUri: `${base}/resume?reason={text}`,
      };
    };

    if (rest[0] === 'orchestrators' && method === 'POST' && rest[1]) {
      try {
        const id = engine.startNew(rest[1], rest[2] || undefined, await readJson());
        return send(202, links(id), { location: links(id).statusQueryGetUri });
      } catch (error) {
        if (error instanceof InstanceExistsError) return send(409, { message: error.message });
        if (error instanceof UnknownOrchestrationError) return send(400, { message: error.message });
        throw error;
      }
    }
    if (rest[0] === 'instances' && (rest.length === 1 || rest[1] === '')) {
      const statuses = url.searchParams.get('runtimeStatus')?.split(',').filter(Boolean);
      const filter = {
        statuses,
        createdFrom: url.searchParams.get('createdTimeFrom') ?? undefined,
        createdTo: url.searchParams.get('createdTimeTo') ?? undefined,
        prefix: url.searchParams.get('instanceIdPrefix') ?? undefined,
      };
      if (method === 'GET') {
        const top = Number(url.searchParams.get('top') ?? 0);
        const skip = Number(req.headers['x-ms-continuation-token'] ?? 0);
        const all = store.listInstances(filter);
        const page = top > 0 ? all.slice(skip, skip + top) : all.slice(skip);
        const headers: Record<string, string> =
          top > 0 && skip + top < all.length ? { 'x-ms-continuation-token': String(skip + top) } : {};
        return send(
          200,
          page.map((row) => statusOf(row, url.searchParams.get('showInput') !== 'false')),
          headers,
        );
      }
      if (method === 'DELETE') {
        const rows = store
          .listInstances(filter)
          .filter((r) => ['Completed', 'Failed', 'Terminated'].includes(r.status));
        rows.forEach((r) => store.purge(r.id));
        return rows.length ? send(200, { instancesDeleted: rows.length }) : send(404);
      }
    }
    if (rest[0] === 'instances' && rest[1]) {
      const id = rest[1];
      const action = rest[2];
      if (!action && method === 'GET') {
        const row = store.getInstance(id);
        if (!row) return send(404, { message: `No instance with ID '${id}' found.` });
        const status: InstanceStatus = statusOf(row, url.searchParams.get('showInput') !== 'false');
        if (url.searchParams.get('showHistory') === 'true') status.historyEvents = store.history(id);
        // 202 while running, 200 once finished (durable-functions-http-api#get-instance-status); the JS
        // client accepts 200/202/400 only, so a failed instance is a 200 with runtimeStatus "Failed".
        return send(['Pending', 'Running', 'Suspended'].includes(row.status) ? 202 : 200, status);
      }
      if (!action && method === 'DELETE') return store.purge(id) ? send(200, { instancesDeleted: 1 }) : send(404);
      const outcome = (result: 'accepted' | 'not-found' | 'gone') =>
        result === 'accepted' ? send(202) : result === 'gone' ? send(410) : send(404);
      if (action === 'raiseEvent' && rest[3] && method === 'POST')
        return outcome(engine.raiseEvent(id, rest[3], await readJson()));
      if (action === 'terminate' && method === 'POST')
        return outcome(engine.terminate(id, url.searchParams.get('reason') ?? ''));
      if (action === 'suspend' && method === 'POST') return outcome(engine.setSuspended(id, true));
      if (action === 'resume' && method === 'POST') return outcome(engine.setSuspended(id, false));
      if (action === 'restart' && method === 'POST') {
        const row = store.getInstance(id);
        if (!row) return send(404);
        store.purge(id);
        const newId = engine.startNew(row.name, id, JSON.parse(row.input));
        return send(202, links(newId));
      }
    }
    send(404, { message: 'unknown durable task route' });
  }

  return {
    name: 'durable',
    triggerTypes: ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'],
    inputBindingTypes: ['durableClient'],
    engine: () => engine,
    getInstance: (id) => {
      const row = store.getInstance(id);
      return row ? statusOf(row) : null;
    },
    listInstances: (filter = {}) => store.listInstances(filter).map((r) => statusOf(r)),
    customStatuses: (prefix, updatedSince) =>
      store.customStatuses(prefix, updatedSince).map((r) => ({
        instanceId: r.id,
        runtimeStatus: r.status,
        customStatus: JSON.parse(r.custom_status) as unknown,
        lastUpdatedTime: r.updated_at,
      })),
    inputBindingData: () => clientData(),
    async start(hostServices) {
      services = hostServices;
      store = new DurableStore(path.join(hostServices.dataDir, 'durable.sqlite'));
      clock = new LocalClock(hostServices.dataDir);
      const durable = hostServices.hostJson.extensions?.durableTask ?? {};
      engine = new DurableEngine({
        store,
        invoke: (fn, trigger) => hostServices.invoke(fn, trigger),
        functions: () => hostServices.functions(),
        maxConcurrentActivities: durable.maxConcurrentActivityFunctions,
        maxConcurrentOrchestrations: durable.maxConcurrentOrchestratorFunctions,
        log: (level, message, fields) => hostServices.logger[level]({ component: 'durable', ...fields }, message),
        now: () => clock.now(),
        gate: hostServices.foreground,
      });
      engine.start();
    },
    handleHttp(req, res, url) {
      if (url.pathname === CLOCK_PATH) return clockApi(req, res).then(() => true);
      if (!url.pathname.startsWith(RUNTIME_PREFIX)) return false;
      return api(req, res, url).then(() => true);
    },
    async stop() {
      await engine?.stop();
      store?.close();
    },
  };
}

/** ISO 8601 duration with days, hours, minutes, seconds (P30D, PT2H, P1DT12H); NaN otherwise. */
function durationMs(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return Number.NaN;
  const [, d, h, min, s] = m;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}
