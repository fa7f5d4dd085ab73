import express from 'express';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import type { FaultInjector } from './faults';
import { filterSyntaxProblem } from './filter';
import { canonicalisePatchNames } from './patch-paths';
import { acceptStringBooleans, GLOBEX_CREATE_STATUS, globexResponseBody, refusedPatchPath } from './globex-quirks';
import type { RequestLog } from './request-log';
import { declareScimResources, type ScimRequestContext } from './resources';
import { SCIM_CONTENT_TYPE, sendScimError } from './scim-error';
import { acquireScimmy, configureScimmyFor, forgetScimmyConfiguration } from './scimmy-lock';
import type { ScimResourceType, ScimStore } from './store';
import type { ScimTargetDefinition } from './targets';

/** A demo target as it runs: its definition, the token it accepts, its faults and its request log. */
export interface ScimTargetRuntime {
  readonly definition: ScimTargetDefinition;
  readonly token: string;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
}

/**
 * The middleware one target's requests go through, in order: log → response shape → faults → bearer token →
 * JSON body → request adaptation (quirks, paging) → scimmy lock → ETag preconditions → scimmy-routers.
 * Faults come before authentication, as a gateway's throttling does. The lock is taken once the body has arrived,
 * so a slow or stalled upload never holds up the other requests.
 */
export function targetPipeline(runtime: ScimTargetRuntime, store: ScimStore, origin: () => string): Router {
  declareScimResources();
  const { definition } = runtime;
  const context: ScimRequestContext = { target: definition, store };
  const router = express.Router();
  router.use(logRequests(runtime.log));
  router.use(shapeResponses(definition));
  router.use(injectFaults(runtime.faults));
  router.use(requireBearer(runtime.token));
  router.use(express.json({ type: [SCIM_CONTENT_TYPE, 'application/json'], limit: '1mb' }));
  router.use(adaptRequest(definition));
  router.use(holdScimmy(definition));
  if (definition.etag) router.use(checkPreconditions(definition, store));
  const scimmyRouters = new SCIMMYRouters({
    type: 'bearer',
    // The token was checked by requireBearer; scimmy-routers wants the caller's id for /Me, which is not served.
    handler: () => 'scim-demo-client',
    context: () => context,
    baseUri: () => origin(),
  }) as unknown as Router;
  forgetScimmyConfiguration();
  router.use(scimmyRouters);
  router.use(answerUnhandledErrors);
  return router;
}

function logRequests(log: RequestLog): RequestHandler {
  return (req, res, next) => {
    const path = req.originalUrl.slice(req.baseUrl.length) || '/';
    res.once('finish', () =>
      log.record({ at: new Date().toISOString(), method: req.method, path, status: res.statusCode }),
    );
    next();
  };
}

/**
 * acme-crm: the Location header of a created resource (RFC 7644 §3.3: "The URI of the created resource SHALL
 * include, in the HTTP Location header and the HTTP response body ... meta.location"; scimmy-routers sets only the
 * body) and the ETag header of RFC 7644 §3.14. globex-wiki: its non-standard bodies and 200 on create.
 */
function shapeResponses(definition: ScimTargetDefinition): RequestHandler {
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (definition.quirky) return json(globexResponseBody(body));
      const meta = singleResourceMeta(body);
      if (definition.etag && typeof meta?.version === 'string') res.setHeader('ETag', meta.version);
      if (res.statusCode === 201 && typeof meta?.location === 'string') res.setHeader('Location', meta.location);
      return json(body);
    };
    if (definition.quirky) {
      const status = res.status.bind(res);
      res.status = (code: number) => status(req.method === 'POST' && code === 201 ? GLOBEX_CREATE_STATUS : code);
    }
    next();
  };
}

function singleResourceMeta(body: unknown): Record<string, unknown> | undefined {
  if (!isObject(body) || Array.isArray(body.Resources) || !isObject(body.meta)) return undefined;
  return body.meta;
}

function injectFaults(faults: FaultInjector): RequestHandler {
  return (_req, res, next) => {
    const decision = faults.decide();
    switch (decision.kind) {
      case 'none':
        return next();
      case 'slow':
        setTimeout(next, decision.delayMs);
        return;
      case 'throttle':
        // RFC 6585 §4: 429 Too Many Requests, with Retry-After (RFC 9110 §10.2.3) saying when to come back.
        return sendScimError(res, 429, 'Too many requests: the demo target is throttling (injected fault).', {
          headers: { 'Retry-After': String(decision.retryAfterSeconds) },
        });
      case 'error500':
        return sendScimError(res, 500, 'Internal server error (injected fault).');
      case 'down':
        // RFC 9110 §15.6.4: 503 Service Unavailable; Retry-After only when the fault says how long.
        return sendScimError(res, 503, 'The demo target is down (injected fault).', {
          headers:
            decision.retryAfterSeconds !== undefined ? { 'Retry-After': String(decision.retryAfterSeconds) } : {},
        });
    }
  };
}

/**
 * RFC 7644 §2 / RFC 6750 §2.1: the token travels as `Authorization: Bearer <token>`. A missing or wrong token is
 * 401 with a SCIM error (RFC 7644 §3.12) and a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).
 */
function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const presented = /^Bearer[ ]+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return next();
    const challenge = presented === undefined ? 'Bearer realm="scim"' : 'Bearer realm="scim", error="invalid_token"';
    sendScimError(res, 401, 'Authorization failure. The authorization header is invalid or missing.', {
      headers: { 'WWW-Authenticate': challenge },
    });
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function holdScimmy(definition: ScimTargetDefinition): RequestHandler {
  return (req, res, next) => {
    acquireScimmy().then((release) => {
      res.once('finish', release);
      res.once('close', release);
      // scimmy reads its configuration only to answer ServiceProviderConfig and to accept /Bulk.
      if (/^\/(ServiceProviderConfig|Bulk)\/?$/i.test(req.path)) configureScimmyFor(definition);
      next();
    }, next);
  };
}

function adaptRequest(definition: ScimTargetDefinition): RequestHandler {
  return (req, res, next) => {
    const resourceType = /^\/(Users|Groups)\//i.exec(req.path)?.[1]?.toLowerCase();
    if (req.method === 'PATCH' && resourceType)
      canonicalisePatchNames(
        req.body,
        (resourceType === 'users' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group).definition,
      );
    if (definition.quirky) {
      acceptStringBooleans(req.method, req.body);
      const refused = req.method === 'PATCH' ? refusedPatchPath(req.body) : undefined;
      if (refused !== undefined)
        return sendScimError(res, 400, `PATCH paths with a value filter are not supported: ${refused}`, {
          scimType: 'invalidPath',
        });
    }
    if (req.method === 'GET' && /^\/(Users|Groups)\/?$/i.test(req.path)) {
      const problem = filterProblem(req.query.filter);
      if (problem) return sendScimError(res, 400, problem, { scimType: 'invalidFilter' });
      limitPageSize(req, definition);
    }
    next();
  };
}

/**
 * RFC 7644 §3.4.2.2 / §3.12: a filter that does not parse is 400 `invalidFilter`; scimmy reports some as
 * `invalidValue` and lets others through, so the filter is checked here first.
 */
function filterProblem(filter: unknown): string | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'string') return 'Only one filter query parameter is allowed.';
  const problem = filterSyntaxProblem(filter);
  return problem && `The specified filter syntax is invalid: ${problem}`;
}

/**
 * RFC 7644 §3.4.2.4: `count` is a maximum the server may lower; no page is larger than `filter.maxResults`
 * (RFC 7643 §5); without `count` the provider's default page size applies.
 */
function limitPageSize(req: Request, definition: ScimTargetDefinition): void {
  const query = req.query as Record<string, unknown>;
  const asked = typeof query.count === 'string' && /^-?\d+$/.test(query.count) ? Number(query.count) : undefined;
  query.count = String(Math.min(asked ?? definition.defaultPageSize, definition.maxResults));
}

/** RFC 7644 §3.14: a write with `If-Match` that names another version of the resource fails 412. */
function checkPreconditions(definition: ScimTargetDefinition, store: ScimStore): RequestHandler {
  return (req, res, next) => {
    const ifMatch = req.headers['if-match'];
    const target = /^\/(Users|Groups)\/([^/]+)$/.exec(req.path);
    if (!ifMatch || !target || !['PUT', 'PATCH', 'DELETE'].includes(req.method)) return next();
    const type: ScimResourceType = target[1] === 'Users' ? 'User' : 'Group';
    const stored = store.get(definition.id, type, decodeURIComponent(target[2]!));
    if (!stored) return next();
    const current = `W/"${stored.version}"`;
    const accepted = ifMatch.split(',').map((tag) => tag.trim());
    if (accepted.includes('*') || accepted.includes(current) || accepted.includes(current.slice(2))) return next();
    sendScimError(res, 412, 'Failed to update. Resource has changed on the server.', {
      headers: { ETag: current },
    });
  };
}

/** Errors raised before scimmy-routers (unreadable JSON, a body over the limit) or escaping it. */
function answerUnhandledErrors(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  if (res.headersSent) return;
  const type = isObject(error) ? error.type : undefined;
  // RFC 7644 §3.12: a body that is not valid JSON is 400 invalidSyntax; one over the limit is 413.
  if (type === 'entity.parse.failed')
    return sendScimError(res, 400, 'Request body is not valid JSON.', {
      scimType: 'invalidSyntax',
    });
  if (type === 'entity.too.large') return sendScimError(res, 413, 'Request body is too large.');
  sendScimError(res, 500, error instanceof Error ? error.message : 'Internal server error.');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
