import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

/**
 * A real SCIM 2.0 server for the client tests, built on scimmy (the library the demo targets use), in memory:
 * users and groups, filters, PATCH, 409 on a taken userName. SCIMMY's declarations are process-wide, so one
 * server per test file; `reset()` empties it between tests.
 */
export interface ScimmyTestServer {
  baseUrl: string;
  users: Map<string, Record<string, unknown>>;
  groups: Map<string, Record<string, unknown>>;
  /** Every request, "METHOD /path?query". */
  requests: string[];
  reset(): void;
  close(): Promise<void>;
}

type Stored = Record<string, unknown>;
type Matcher = { match(list: Stored[]): Stored[] };

/** scimmy's typings ask for its schema classes; this server stores plain objects. */
interface Declaration {
  ingress(handler: (resource: { id?: string }, instance: Stored) => Stored): Declaration;
  egress(handler: (resource: { id?: string; filter?: Matcher }) => Stored[]): Declaration;
  degress(handler: (resource: { id: string }) => void): Declaration;
}
const declare = (type: unknown): Declaration => SCIMMY.Resources.declare(type as never) as unknown as Declaration;
const scimError = (status: number, scimType: string | null, detail: string): Error =>
  new SCIMMY.Types.Error(status, scimType as string, detail);

function matching(resource: { filter?: Matcher }, store: Map<string, Stored>): Stored[] {
  const all = [...store.values()];
  return resource.filter ? resource.filter.match(all) : all;
}

export async function startScimmyServer(token = 'test-token'): Promise<ScimmyTestServer> {
  const users = new Map<string, Stored>();
  const groups = new Map<string, Stored>();
  const requests: string[] = [];
  const now = () => new Date().toISOString();

  SCIMMY.Config.set({ patch: true, filter: 200, etag: false, sort: false, bulk: false, changePassword: false });
  // The enterprise extension is opt-in in scimmy; a server without it drops those attributes (see client-quirks).
  declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
    .ingress((resource, instance) => {
      const taken = [...users.values()].find(
        (u) => String(u.userName).toLowerCase() === String(instance.userName).toLowerCase() && u.id !== resource.id,
      );
      if (taken) throw scimError(409, 'uniqueness', `userName ${String(instance.userName)} is taken`);
      if (resource.id && !users.has(resource.id)) throw scimError(404, null, 'not found');
      const id = resource.id ?? randomUUID();
      const stored = { ...instance, id, meta: { created: now(), lastModified: now() } };
      users.set(id, stored);
      return stored;
    })
    .egress((resource) => {
      const found = matching(resource, users);
      if (resource.id && !found.length) throw scimError(404, null, `Resource ${resource.id} not found`);
      return found;
    })
    .degress((resource) => {
      if (!users.delete(resource.id)) throw scimError(404, null, `Resource ${resource.id} not found`);
    });
  declare(SCIMMY.Resources.Group)
    .ingress((resource, instance) => {
      const id = resource.id ?? randomUUID();
      const stored = { ...instance, id, meta: { created: now(), lastModified: now() } };
      groups.set(id, stored);
      return stored;
    })
    .egress((resource) => {
      const found = matching(resource, groups);
      if (resource.id && !found.length) throw scimError(404, null, `Resource ${resource.id} not found`);
      return found;
    })
    .degress((resource) => {
      if (!groups.delete(resource.id)) throw scimError(404, null, `Resource ${resource.id} not found`);
    });

  const app = express();
  app.use((request, _response, next) => {
    requests.push(`${request.method} ${request.originalUrl.replace(/^\/scim/, '')}`);
    next();
  });
  app.use(
    '/scim',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('authorization') !== `Bearer ${token}`) throw new Error('Authorization not detected!');
        return 'test';
      },
    }) as unknown as express.Router,
  );
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/scim`,
    users,
    groups,
    requests,
    reset: () => {
      users.clear();
      groups.clear();
      requests.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
