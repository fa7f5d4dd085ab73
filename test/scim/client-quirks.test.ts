import { afterEach, describe, expect, it } from 'vitest';
import { createScimConnections } from '../../shared/adapters/scim/create-scim-connections';
import { errorDetail, retryAfterSeconds } from '../../shared/adapters/scim/scim-error';
import { scimSettingProblems } from '../../shared/config/sections/scim';
import { parsePolicy } from '../../shared/domain/policy';
import { directoryUser } from '../unit/domain/fixtures';
import { listResponse, startScriptedServer, type Script, type SeenRequest } from './client-scripted-server';
import { policyWithTarget, syncWith, TOKEN_SETTING, upsert } from './sync-support';

/** The client against the quirks of real targets, each answer scripted. */
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function serve(script: Script) {
  const server = await startScriptedServer(script);
  close = () => server.close();
  return server;
}

const ADA = {
  id: 'u42',
  userName: 'ada.lovelace@contoso.com',
  externalId: 'E1001',
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  active: true,
  title: 'Software Engineer',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: 'E1001', department: 'Engineering' },
};

/** Discovery answers: no /Schemas or /ResourceTypes (many targets serve none), the given config. */
function discovery(request: SeenRequest, config: unknown = null) {
  if (request.path === '/ServiceProviderConfig')
    return config === null ? { status: 404 } : { status: 200, body: config };
  if (request.path === '/Schemas' || request.path === '/ResourceTypes') return { status: 404, raw: 'Not Found' };
  return null;
}

const writes = (requests: SeenRequest[]) =>
  requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

describe('SCIM client quirks', () => {
  it('takes 200 where 201 is due for a create', async () => {
    const server = await serve(
      (r) =>
        discovery(r) ?? (r.method === 'POST' ? { status: 200, body: ADA } : { status: 200, body: listResponse([]) }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'created', scimId: 'u42' });
  });

  it('a target refusing "or" in a filter is looked up one attribute at a time, and is not asked again', async () => {
    const server = await serve((r) => {
      const known = discovery(r);
      if (known) return known;
      const filter = r.query.get('filter') ?? '';
      if (/ or /.test(filter)) return { status: 400, body: { status: '400', scimType: 'invalidFilter' } };
      if (r.method === 'POST') return { status: 201, body: ADA };
      return { status: 200, body: listResponse(filter.startsWith('externalId') ? [ADA] : []) };
    });
    const sync = syncWith(policyWithTarget(server.baseUrl));
    expect(await sync.sync(upsert())).toMatchObject({ ok: true, result: 'unchanged', scimId: 'u42' });
    expect(await sync.sync(upsert())).toMatchObject({ ok: true, result: 'unchanged', scimId: 'u42' });
    const lookups = server.requests.filter((r) => r.path.startsWith('/Users?')).map((r) => r.query.get('filter'));
    expect(lookups).toEqual([
      'userName eq "ada.lovelace@contoso.com" or externalId eq "E1001"',
      'userName eq "ada.lovelace@contoso.com"',
      'externalId eq "E1001"',
      'userName eq "ada.lovelace@contoso.com"',
      'externalId eq "E1001"',
    ]);
    expect(writes(server.requests)).toEqual([]);
  });

  it('syncs that start together share one discovery (not three documents each)', async () => {
    const server = await serve((r) => discovery(r) ?? { status: 200, body: listResponse([ADA]) });
    const sync = syncWith(policyWithTarget(server.baseUrl));
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => sync.sync(upsert())));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true]);
    expect(server.requests.filter((r) => r.path === '/ServiceProviderConfig')).toHaveLength(1);
  });

  it('409 on create: looks the user up and adopts it', async () => {
    let created = false;
    const server = await serve((r) => {
      const known = discovery(r);
      if (known) return known;
      if (r.method === 'POST') {
        created = true;
        return { status: 409, body: { schemas: [], scimType: 'uniqueness', detail: 'exists', status: '409' } };
      }
      // The user becomes visible only after the conflict (a replica behind the filter).
      if (r.method === 'GET') return { status: 200, body: listResponse(created ? [{ ...ADA, externalId: 'x' }] : []) };
      return { status: 200, body: ADA };
    });
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'adopted', scimId: 'u42' });
    expect(writes(server.requests)).toEqual(['POST /Users', 'PATCH /Users/u42']);
    expect(server.requests.at(-1)!.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'externalId', value: 'E1001' }],
    });
  });

  it('sends only the changed attributes in a PATCH, addressing value filters as Entra does', async () => {
    const held = { ...ADA, emails: [{ type: 'work', value: 'old@contoso.com', primary: true }] };
    const server = await serve(
      (r) => discovery(r) ?? (r.method === 'GET' ? { status: 200, body: listResponse([held]) } : { status: 204 }),
    );
    const sync = syncWith(policyWithTarget(server.baseUrl), [directoryUser({ mail: 'ada@contoso.com' })]);
    expect(await sync.sync(upsert())).toMatchObject({ ok: true, result: 'updated' });
    const patch = server.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.headers['content-type']).toBe('application/scim+json');
    expect((patch.body as { Operations: unknown[] }).Operations).toEqual([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@contoso.com' },
    ]);
  });

  it('falls back to PUT of the whole resource without PATCH, keeping unmapped attributes', async () => {
    const held = { ...ADA, title: 'Intern', nickName: 'Ada', meta: { resourceType: 'User' } };
    const server = await serve(
      (r) =>
        discovery(r, { patch: { supported: 'False' } }) ??
        (r.method === 'GET' ? { status: 200, body: listResponse([held]) } : { status: 200, body: held }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'updated' });
    expect(writes(server.requests)).toEqual(['PUT /Users/u42']);
    const put = server.requests.find((r) => r.method === 'PUT')!.body as Record<string, unknown>;
    expect(put).toMatchObject({ id: 'u42', title: 'Software Engineer', nickName: 'Ada', userName: ADA.userName });
    expect(put.meta).toBeUndefined();
  });

  it('falls back to PUT when a target that claims PATCH answers 501, and deactivates with active false', async () => {
    const server = await serve(
      (r) =>
        discovery(r) ??
        (r.method === 'GET'
          ? { status: 200, body: listResponse([ADA]) }
          : r.method === 'PATCH'
            ? { status: 501, body: { detail: 'PATCH not implemented' } }
            : { status: 200, body: ADA }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert({ action: 'deactivate' }));
    expect(outcome).toMatchObject({ ok: true, result: 'deactivated' });
    expect(writes(server.requests)).toEqual(['PATCH /Users/u42', 'PUT /Users/u42']);
    expect(server.requests.at(-1)!.body).toMatchObject({ active: false, userName: ADA.userName });
  });

  it('reads string booleans: "False" is already inactive, "True" already active', async () => {
    let active = 'False';
    const server = await serve(
      (r) => discovery(r) ?? { status: 200, body: listResponse([{ ...ADA, active, Active: undefined }]) },
    );
    const sync = syncWith(policyWithTarget(server.baseUrl));
    expect(await sync.sync(upsert({ action: 'deactivate' }))).toMatchObject({ ok: true, result: 'unchanged' });
    active = 'True';
    expect(await sync.sync(upsert())).toMatchObject({ ok: true, result: 'unchanged' });
    expect(writes(server.requests)).toEqual([]);
  });

  it('a DELETE answered 404 means already gone', async () => {
    const server = await serve(
      (r) => discovery(r) ?? (r.method === 'GET' ? { status: 200, body: listResponse([ADA]) } : { status: 404 }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert({ action: 'delete' }));
    expect(outcome).toMatchObject({ ok: true, result: 'absent' });
    expect(outcome.calls.at(-1)).toEqual({ method: 'DELETE', path: '/Users/u42', status: 404, requestId: null });
  });

  it('429 is retryable with the Retry-After seconds, and the call is recorded with its request id', async () => {
    const server = await serve(
      (r) =>
        discovery(r) ?? {
          status: 429,
          headers: { 'retry-after': '30', 'x-request-id': 'req-7' },
          body: { detail: 'slow down' },
        },
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: true, status: 429, retryAfterSeconds: 30 });
    expect(outcome.calls.at(-1)).toMatchObject({ status: 429, requestId: 'req-7' });
    expect(server.requests.filter((r) => r.path.startsWith('/Users'))).toHaveLength(1);
  });

  it('5xx is retryable; an HTML error page becomes the detail', async () => {
    const server = await serve(
      (r) => discovery(r) ?? { status: 502, raw: '<html><body>Bad gateway</body></html>', headers: {} },
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: true, status: 502, retryAfterSeconds: null });
    expect(!outcome.ok && outcome.detail).toContain('HTTP 502: <html><body>Bad gateway</body></html>');
  });

  it('a non-standard error body on a create is a readable, non-retryable failure', async () => {
    const server = await serve(
      (r) =>
        discovery(r) ??
        (r.method === 'POST'
          ? { status: 400, body: { error: { code: 'E_VALIDATION', message: 'department is required' } } }
          : { status: 200, body: listResponse([]) }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(!outcome.ok && outcome.detail).toBe('POST /Users: HTTP 400: department is required');
  });

  it('pages with startIndex/count when the target cannot filter, and checks the hits itself', async () => {
    const everyone = Array.from({ length: 250 }, (_, i) => ({ id: `id${i}`, userName: `user${i}@contoso.com` }));
    everyone[230] = { ...ADA, id: 'id230' };
    const server = await serve((r) => {
      const known = discovery(r, { filter: { supported: false }, patch: { supported: true } });
      if (known) return known;
      if (r.method !== 'GET') return { status: 204 };
      const start = Number(r.query.get('startIndex') ?? 1);
      const count = Math.min(Number(r.query.get('count') ?? 50), 100);
      return { status: 200, body: listResponse(everyone.slice(start - 1, start - 1 + count), 250, start) };
    });
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'unchanged', scimId: 'id230' });
    expect(server.requests.filter((r) => r.path.startsWith('/Users')).map((r) => r.path)).toEqual([
      '/Users?startIndex=1&count=100',
      '/Users?startIndex=101&count=100',
      '/Users?startIndex=201&count=100',
    ]);
  });

  it('a server that ignores the filter and lists everyone does not make the client adopt a stranger', async () => {
    const stranger = { id: 'other', userName: 'grace@contoso.com', externalId: 'E9' };
    const server = await serve(
      (r) =>
        discovery(r) ??
        (r.method === 'GET' ? { status: 200, body: listResponse([stranger]) } : { status: 201, body: ADA }),
    );
    const outcome = await syncWith(policyWithTarget(server.baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: true, result: 'created', scimId: 'u42' });
  });

  it('patches group members in chunks of 100, or of the bulk maxOperations the server states', async () => {
    const members = Array.from({ length: 250 }, (_, i) => `m${i}`);
    for (const [config, expected] of [
      [{}, [100, 100, 50]],
      [{ bulk: { supported: true, maxOperations: 50 } }, [50, 50, 50, 50, 50]],
    ] as const) {
      const server = await serve((r) => discovery(r, config) ?? { status: 204 });
      const target = policyWithTarget(server.baseUrl).scimTargets[0]!;
      const session = createScimConnections({ [TOKEN_SETTING]: 't' })(target).session();
      await session.patchGroupMembers('g1', members.slice(0, 200), members.slice(200));
      const patches = server.requests.filter((r) => r.method === 'PATCH');
      const sizes = patches.map((p) =>
        (p.body as { Operations: { op: string; value?: unknown[] }[] }).Operations.reduce(
          (n, o) => n + (o.op === 'add' ? o.value!.length : 1),
          0,
        ),
      );
      expect(sizes).toEqual(expected);
      expect((patches.at(-1)!.body as { Operations: unknown[] }).Operations.at(-1)).toEqual({
        op: 'remove',
        path: 'members[value eq "m249"]',
      });
      await close?.();
      close = undefined;
    }
  });

  it('OAuth client credentials: one token for many calls; a 401 drops it and is retryable', async () => {
    let tokens = 0;
    let refuse = false;
    const server = await serve((r) => {
      if (r.path === '/token') {
        tokens++;
        return { status: 200, body: { access_token: `tok${tokens}`, token_type: 'Bearer', expires_in: '3600' } };
      }
      if (refuse) return { status: 401, body: { detail: 'expired' } };
      return discovery(r) ?? { status: 200, body: listResponse([ADA]) };
    });
    const policy = policyWithTarget(server.baseUrl).scimTargets[0]!;
    const oauth = parsePolicy(
      `version: t\ntenant: {upnDomain: contoso.com}\nupn: {pattern: '{given}.{family}'}\nscimTargets:\n` +
        `  - {id: app, name: App, baseUrl: "${policy.baseUrl}", auth: {type: oauthClientCredentials, ` +
        `tokenUrl: "${policy.baseUrl}/token", clientId: c1, clientSecretSetting: SCIM_SECRET, ` +
        `scope: "api://x/.default"}}\n`,
    );
    const sync = syncWith(oauth, undefined, undefined, { SCIM_SECRET: 's3cret' });
    expect(await sync.sync(upsert())).toMatchObject({ ok: true });
    expect(await sync.sync(upsert())).toMatchObject({ ok: true });
    expect(tokens).toBe(1);
    const tokenRequest = server.requests.find((r) => r.path === '/token')!;
    expect(tokenRequest.method).toBe('POST');
    expect(
      server.requests.filter((r) => r.path !== '/token').every((r) => r.headers.authorization === 'Bearer tok1'),
    ).toBe(true);
    refuse = true;
    expect(await sync.sync(upsert())).toMatchObject({ ok: false, retryable: true, status: 401 });
    refuse = false;
    expect(await sync.sync(upsert())).toMatchObject({ ok: true });
    expect(tokens).toBe(2);
  });

  it('an unreachable target is retryable, with the attempt recorded as status 0', async () => {
    const server = await serve(() => ({ status: 200 }));
    const baseUrl = server.baseUrl;
    await server.close();
    close = undefined;
    const outcome = await syncWith(policyWithTarget(baseUrl)).sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: true, status: null });
    expect(outcome.calls).toEqual([{ method: 'GET', path: '/ServiceProviderConfig', status: 0, requestId: null }]);
  });

  it('a missing token setting fails the push (not retryable) and the start-up check names it', async () => {
    const policy = policyWithTarget('https://app.example/scim');
    const outcome = await syncWith(policy, undefined, undefined, {}).sync(upsert());
    expect(outcome).toMatchObject({ ok: false, retryable: false, calls: [] });
    expect(!outcome.ok && outcome.detail).toContain(TOKEN_SETTING);
    expect(scimSettingProblems(policy, {})).toEqual([
      { setting: TOKEN_SETTING, expected: 'not set (a SCIM target needs it) (SCIM target app)' },
    ]);
    expect(scimSettingProblems(policy, { [TOKEN_SETTING]: '@Microsoft.KeyVault(SecretUri=x)' })[0]!.expected).toMatch(
      /unresolved Key Vault reference/,
    );
    expect(scimSettingProblems(policy, { [TOKEN_SETTING]: 'x' })).toEqual([]);
  });

  it('parses Retry-After as seconds or an HTTP date, and any error body shape into a detail', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:45 GMT', now)).toBe(45);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(errorDetail(409, { scimType: 'uniqueness', detail: 'taken', status: '409' }, '')).toBe(
      'HTTP 409: uniqueness: taken',
    );
    expect(errorDetail(400, { message: 'bad' }, '')).toBe('HTTP 400: bad');
    expect(errorDetail(400, { errors: [{ description: 'no' }] }, '')).toBe('HTTP 400: no');
    expect(errorDetail(400, { error: 'invalid_request' }, '')).toBe('HTTP 400: invalid_request');
    expect(errorDetail(500, null, '')).toBe('HTTP 500');
  });
});
