import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { afterEach, describe, expect, it } from 'vitest';
import { GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import type { WriteBudget } from '../../shared/adapters/graph/write-budget';

/**
 * Issue 16 item 6, end to end: GraphDirectory tells its RelationsBatcher whether other Graph work is in flight
 * (`othersWorking: () => this.limiter.load > 0`). Graph's write budget is about 3,000 writes per 150 s per app and
 * tenant (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits); once a twentieth
 * of it is spent (WriteBudget's pressure share) a group add that arrives within the membership window of the
 * previous one waits the window for company, but only when company can come. The unit test
 * (relations-batcher-pressure.test.ts) pins the batcher's rule with a hand-fed flag; this one shows the adapter
 * feeds it from its own semaphore, against a real GraphDirectory talking HTTP to a scripted Graph.
 */

/** What the fake Graph saw, in order: `METHOD /path` for plain requests and for each $batch item. */
interface FakeGraph {
  baseUrl: string;
  events: string[];
  /** Resolves when the held GET /users/held has reached the server. */
  heldArrived: Promise<void>;
  /** Answers the held GET. */
  release(): void;
  close(): Promise<void>;
}

async function startFakeGraph(): Promise<FakeGraph> {
  const events: string[] = [];
  let arrived!: () => void;
  const heldArrived = new Promise<void>((resolve) => (arrived = resolve));
  let releaseHeld: (() => void) | null = null;
  let released = false;

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  const answer = (request: IncomingMessage, response: ServerResponse, text: string) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const path = url.pathname.replace(/^\/v1\.0/, '');
    if (method === 'POST' && path === '/$batch') {
      // json-batching: every item answered 204, as Graph does for members@odata.bind PATCHes and $ref POSTs.
      const { requests } = JSON.parse(text) as { requests: { id: string; method: string; url: string }[] };
      for (const item of requests) events.push(`${item.method} ${item.url}`);
      json(response, 200, { responses: requests.map((item) => ({ id: item.id, status: 204, headers: {} })) });
      return;
    }
    events.push(`${method} ${path}`);
    if (method === 'PATCH' && path.startsWith('/users/')) {
      // user-update answers 204 No Content.
      response.writeHead(204);
      response.end();
      return;
    }
    if (method === 'GET' && path === '/users/held') {
      // Other Graph work in flight: answered only when the test says so.
      const send = () => json(response, 200, { id: 'held', userPrincipalName: 'held@contoso.com' });
      if (released) send();
      else releaseHeld = send;
      arrived();
      return;
    }
    json(response, 404, { error: { code: 'Request_ResourceNotFound', message: `no fake for ${method} ${path}` } });
  };

  /** Answers the held GET once, now or when it arrives. */
  const release = () => {
    released = true;
    releaseHeld?.();
    releaseHeld = null;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    events,
    heldArrived,
    release,
    close: () => {
      release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const auth: AuthenticationProvider = { getAccessToken: () => Promise.resolve('token') };
const GROUP_MEMBERSHIP_WRITE = (groupId: string) => `PATCH /groups/${groupId}`;
/** WriteBudget's default pressure share: 0.05 of 3,000 writes. */
const PRESSURE_WRITES = 150;

/** Spends a twentieth of the budget through the directory's own cheapest write (PATCH /users/{id}). */
async function pressBudget(directory: GraphDirectory): Promise<void> {
  await Promise.all(
    Array.from({ length: PRESSURE_WRITES }, (_, i) => directory.updateUser(`u${i}`, { jobTitle: 'Engineer' })),
  );
  const budget = (directory as unknown as { writes: WriteBudget }).writes;
  // The premise of both cases: under pressure, but far from the limit (where even a lone caller waits).
  expect(budget.underPressure()).toBe(true);
  expect(budget.nearLimit()).toBe(false);
}

/** Resolves to 'timer' if `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timer'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<'timer'>((resolve) => (timer = setTimeout(() => resolve('timer'), ms))),
  ]).finally(() => clearTimeout(timer));
}

describe('GraphDirectory: group adds wait for company only while other Graph work is in flight', () => {
  let graph: FakeGraph | undefined;
  afterEach(async () => {
    await graph?.close();
    graph = undefined;
  });

  it('alone: a group add with no other Graph call in flight goes at once, even under pressure', async () => {
    graph = await startFakeGraph();
    // A window far longer than the bound below: an add wrongly held for company cannot pass for a slow machine.
    const directory = new GraphDirectory(auth, graph.baseUrl, 4, 30_000);
    await pressBudget(directory);
    // The first add finds a quiet line and goes at once whatever the wiring (Nagle); the second arrives within
    // its window, which under pressure is a burst: only the absence of other Graph work lets it go at once.
    expect((await directory.applyRelations('first', { addGroupIds: ['g-first'] })).failures).toEqual([]);
    const second = directory.applyRelations('second', { addGroupIds: ['g-alone'] });
    expect(await within(second, 5_000)).toMatchObject({ failures: [] });
    expect(graph.events).toContain(GROUP_MEMBERSHIP_WRITE('g-alone'));
  });

  it('others working: a group add waits for company while another Graph call is in flight', async () => {
    graph = await startFakeGraph();
    const directory = new GraphDirectory(auth, graph.baseUrl, 4, 5_000);
    await pressBudget(directory);
    // Sets the previous arrival, so the next add is within the window (see the case above).
    expect((await directory.applyRelations('first', { addGroupIds: ['g-first'] })).failures).toEqual([]);

    const held = directory.getUser('held');
    await graph.heldArrived;
    const added = directory.applyRelations('joiner', { addGroupIds: ['g-company'] });
    // Sent at once it would reach the server in milliseconds; the window is 5 s, so 1 s tells the two apart.
    expect(await within(added, 1_000)).toBe('timer');
    expect(graph.events).not.toContain(GROUP_MEMBERSHIP_WRITE('g-company'));

    graph.events.push('released');
    graph.release();
    expect((await held)?.id).toBe('held');
    // It goes when its window ends (nobody joined it), and not while the other call was held.
    expect(await within(added, 20_000)).toMatchObject({ failures: [] });
    const { events } = graph;
    expect(events.indexOf('GET /users/held')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('GET /users/held')).toBeLessThan(events.indexOf('released'));
    expect(events.indexOf('released')).toBeLessThan(events.indexOf(GROUP_MEMBERSHIP_WRITE('g-company')));
  });
});
