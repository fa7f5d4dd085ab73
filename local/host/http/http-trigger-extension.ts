import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostExtension, HostServices } from '../extension';
import type { RegisteredFunction, RpcTypedData } from '../function-registry';
import { compileRoute, type CompiledRoute } from './route-template';
import { isAuthorized, keysEnforced, readKeySettings, type KeySettings } from './keys';
import { readBody } from './read-body';
import { writeRpcHttpResponse } from './rpc-http-response';

/**
 * Runs httpTrigger functions: matches `/{routePrefix}/{route}` (host.json extensions.http.routePrefix,
 * default "api"), checks methods (405) and keys (401), enforces the request size limit (413) and
 * hands the request to the app in the RPC shape @azure/functions' HttpRequest expects.
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook-trigger
 */
interface HttpRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: string[] | null;
  authLevel: string;
}

/** The Functions host refuses requests over 100 MB (functions-scale#service-limits). */
const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

export interface HttpTriggerOptions {
  maxRequestBytes?: number;
}

export function createHttpTriggerExtension(options: HttpTriggerOptions = {}): HostExtension & {
  routes(): { name: string; route: string; methods: string[] | null; authLevel: string }[];
  keysEnforced(): boolean;
} {
  let services: HostServices;
  let routes: HttpRoute[] = [];
  let prefix = 'api';
  let keys: KeySettings = { masterKey: undefined, functionKeys: [] };
  const maxBytes =
    options.maxRequestBytes ?? Number(process.env.ENTRA_JML_HOST_MAX_REQUEST_BYTES ?? DEFAULT_MAX_REQUEST_BYTES);
  const inFlight = new Set<Promise<void>>();

  function matchRoutes(path: string): { route: HttpRoute; params: Record<string, string> }[] {
    const matches: { route: HttpRoute; params: Record<string, string> }[] = [];
    for (const route of routes) {
      const params = route.route.match(path);
      if (params) matches.push({ route, params });
    }
    return matches;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const matches = matchRoutes(path);
    if (matches.length === 0) {
      res.writeHead(404);
      res.end();
      return;
    }
    const allowed = matches.find((m) => !m.route.methods || m.route.methods.includes(method));
    if (!allowed) {
      const allow = [...new Set(matches.flatMap((m) => m.route.methods ?? []))].join(', ');
      res.writeHead(405, { allow });
      res.end();
      return;
    }
    const presentedKey = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined) ?? null;
    if (!isAuthorized(allowed.route.authLevel, presentedKey, keys)) {
      res.writeHead(401);
      res.end();
      return;
    }
    const body = await readBody(req, maxBytes);
    if (body === 'too-large') {
      res.writeHead(413, { connection: 'close' });
      res.end();
      req.destroy();
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const result = await services.invoke(
      allowed.route.fn,
      { http: { method, url: url.toString(), headers, query, params: allowed.params, body: { bytes: body } } },
      { triggerMetadata: httpTriggerMetadata(query, headers, allowed.params) },
    );
    writeRpcHttpResponse(res, result.returnValue);
  }

  return {
    name: 'http',
    triggerTypes: ['httpTrigger'],
    routes: () =>
      routes.map((r) => ({
        name: r.fn.metadata.name,
        route: `/${prefix ? `${prefix}/` : ''}${r.route.template}`,
        methods: r.methods,
        authLevel: r.authLevel,
      })),
    keysEnforced: () => keysEnforced(keys),
    async start(hostServices) {
      services = hostServices;
      prefix = (hostServices.hostJson.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, '');
      keys = readKeySettings();
      routes = hostServices
        .functions()
        .filter((fn) => String(fn.trigger.type).toLowerCase() === 'httptrigger')
        .map((fn) => {
          const template = String(fn.trigger.route ?? fn.metadata.name);
          const methods = Array.isArray(fn.trigger.methods)
            ? (fn.trigger.methods as string[]).map((m) => m.toUpperCase())
            : null;
          return { fn, route: compileRoute(template), methods, authLevel: String(fn.trigger.authLevel ?? 'function') };
        })
        .map((route) => refuseReservedRoute(route))
        // Literal-heavy templates first, as ASP.NET routing prefers more specific routes.
        .sort((a, b) => b.route.literalCount - a.route.literalCount);
    },
    async handleHttp(req, res, url) {
      const path = url.pathname;
      const prefixPath = prefix ? `/${prefix}` : '';
      if (prefix && !(path === prefixPath || path.startsWith(`${prefixPath}/`))) return false;
      services.foreground.arrived();
      const work = serve(req, res, url, path.slice(prefixPath.length) || '/');
      inFlight.add(work);
      try {
        await work;
      } finally {
        inFlight.delete(work);
      }
      return true;
    },
    async stop() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * The trigger metadata the host sends with an HTTP invocation: Query and Headers as JSON, route parameters as strings.
 * @azure/functions ignores it for HTTP triggers (fromRpcTriggerMetadata: the request object carries it), so the JSON
 * is written only if something reads it, not twice per request under load.
 */
function httpTriggerMetadata(
  query: Record<string, string>,
  headers: Record<string, string>,
  params: Record<string, string>,
): Record<string, RpcTypedData> {
  // Accessors in the literal, not Object.defineProperty: the same enumerable own properties, without the
  // dictionary-mode object defineProperty leaves behind (it showed in the intake profile).
  const metadata: Record<string, RpcTypedData> = {
    get Query() {
      return { json: JSON.stringify(query) };
    },
    get Headers() {
      return { json: JSON.stringify(headers) };
    },
  };
  for (const [name, value] of Object.entries(params)) metadata[name] = { string: value };
  return metadata;
}

/**
 * The Functions host reserves routes that begin with "admin" or "runtime" for its own APIs, whatever
 * routePrefix is, and refuses such a function with this message (azure-functions-host ScriptHost
 * validation, issues #1781 and #7634): the local host refuses it too, at start-up, so a route that
 * could never exist in Azure is never served here.
 */
const RESERVED_ROUTE = /^\/*(admin|runtime)/i;

function refuseReservedRoute(route: HttpRoute): HttpRoute {
  if (RESERVED_ROUTE.test(route.route.template)) {
    throw new Error(
      `Function '${route.fn.metadata.name}' (route '${route.route.template}'): ` +
        'The specified route conflicts with one or more built in routes.',
    );
  }
  return route;
}
