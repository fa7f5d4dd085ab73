import express from 'express';
import type { Express } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { adminApi } from './admin-api';
import { FaultInjector } from './faults';
import { RequestLog } from './request-log';
import { sendScimError } from './scim-error';
import { ScimStore } from './store';
import { targetPipeline, type ScimTargetRuntime } from './target-pipeline';
import { SCIM_TARGETS, scimTargetBasePath, scimTargetTokens, type ScimTargetId } from './targets';

export const SCIM_DEMO_PREFIX = '/_local/scim/';

/**
 * The two SCIM 2.0 demo targets (acme-crm, globex-wiki) and their admin API, as one express application that the
 * host extension and the standalone server both call with Node's request and response.
 */
export class ScimDemoTargets {
  private constructor(
    private readonly store: ScimStore,
    private readonly app: Express,
    readonly runtimes: ReadonlyMap<ScimTargetId, ScimTargetRuntime>,
  ) {}

  static open(options: {
    dataDir: string;
    origin: () => string;
    tokens?: Partial<Record<ScimTargetId, string>>;
  }): ScimDemoTargets {
    const store = new ScimStore(path.join(options.dataDir, 'scim-demo-targets.sqlite'));
    const tokens = { ...scimTargetTokens(), ...options.tokens };
    const runtimes = new Map<ScimTargetId, ScimTargetRuntime>();
    for (const definition of SCIM_TARGETS)
      runtimes.set(definition.id, {
        definition,
        token: tokens[definition.id],
        faults: new FaultInjector(),
        log: new RequestLog(),
      });
    const app = express();
    app.disable('x-powered-by');
    app.use(`${SCIM_DEMO_PREFIX}_admin`, adminApi(runtimes, store));
    for (const runtime of runtimes.values())
      app.use(scimTargetBasePath(runtime.definition.id), targetPipeline(runtime, store, options.origin));
    app.use(SCIM_DEMO_PREFIX, (_req, res) => sendScimError(res, 404, 'No SCIM demo target at this path.'));
    return new ScimDemoTargets(store, app, runtimes);
  }

  /** Serves a request under /_local/scim/; false for any other path. Resolves once the response is sent. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    if (!pathname.startsWith(SCIM_DEMO_PREFIX)) return false;
    await new Promise<void>((resolve) => {
      res.once('finish', resolve);
      res.once('close', resolve);
      this.app(req, res);
    });
    return true;
  }

  close(): void {
    this.store.close();
  }
}

/** Standalone server for tests and benches: the targets on their own loopback listener. */
export async function startScimDemoTargets(options: {
  dataDir: string;
  port?: number;
  tokens?: Partial<Record<ScimTargetId, string>>;
}): Promise<{
  baseUrl: string;
  targetUrl(id: ScimTargetId): string;
  targets: ScimDemoTargets;
  close(): Promise<void>;
}> {
  let origin = '';
  const targets = ScimDemoTargets.open({ dataDir: options.dataDir, origin: () => origin, tokens: options.tokens });
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    void targets.handle(req, res, pathname).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin,
    targetUrl: (id) => `${origin}${scimTargetBasePath(id)}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        targets.close();
      }),
  };
}
