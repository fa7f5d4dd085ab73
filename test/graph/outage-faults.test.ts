import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphApi } from '../../local/emulators/graph/graph-api';
import { GraphStore } from '../../local/emulators/graph/store';

/**
 * The Graph emulator's outage faults (issue 24's tests): `unavailable` answers every request 503 with Retry-After
 * until switched off; `unavailableAfter` switches it on right after the first successful request of one kind.
 */
function api(): GraphApi {
  return new GraphApi(new GraphStore(path.join(mkdtempSync(path.join(tmpdir(), 'graph-outage-')), 'g.sqlite')));
}

const newUser = (n: number) => ({
  accountEnabled: false,
  displayName: `Outage ${n}`,
  mailNickname: `outage${n}`,
  userPrincipalName: `outage${n}@contoso.com`,
  passwordProfile: { password: 'Xy1!aaaaaaaaaaaa', forceChangePasswordNextSignIn: true },
});
const post = (graph: GraphApi, n: number) =>
  graph.handle({ method: 'POST', path: '/users', query: new URLSearchParams(), body: newUser(n), version: 'v1.0' });
const list = (graph: GraphApi) =>
  graph.handle({ method: 'GET', path: '/users', query: new URLSearchParams(), body: undefined, version: 'v1.0' });

describe('Graph emulator outage faults', () => {
  it('unavailable: every request answers 503 serviceNotAvailable with Retry-After, and nothing is written', () => {
    const graph = api();
    Object.assign(graph.faults, { unavailable: true, throttleRetryAfterSeconds: 7 });
    const refused = post(graph, 1);
    expect(refused.status).toBe(503);
    expect(refused.headers?.['retry-after']).toBe('7');
    expect(refused.body).toMatchObject({ error: { code: 'serviceNotAvailable' } });
    expect(list(graph).status).toBe(503);
    expect(graph.stats.writes).toBe(0);
    graph.faults.unavailable = false;
    expect(post(graph, 1).status).toBe(201);
  });

  it('unavailableAfter: the named request succeeds, then everything is unavailable until switched off', () => {
    const graph = api();
    graph.faults.unavailableAfter = 'POST /users';
    expect(list(graph).status).toBe(200);
    expect(post(graph, 2).status).toBe(201);
    expect(graph.faults).toMatchObject({ unavailable: true, unavailableAfter: '' });
    expect(post(graph, 3).status).toBe(503);
    expect(graph.stats.writesByKind['POST /users']).toBe(1);
  });
});
