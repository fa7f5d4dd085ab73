import { describe, expect, it } from 'vitest';
import { authorizeOps, opsAuthLevel } from '../../shared/ops/actor';

const principal = (claims: { typ: string; val: string }[], extra: object = {}) =>
  Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: 'name', role_typ: 'roles', claims, ...extra })).toString(
    'base64',
  );

function request(method: string, headers: Record<string, string> = {}) {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, headers: { get: (name: string) => lower.get(name.toLowerCase()) ?? null } };
}

const easyAuth = { WEBSITE_AUTH_ENABLED: 'True' };
const admin = principal([
  { typ: 'name', val: 'Alice Admin' },
  { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-alice' },
  { typ: 'roles', val: 'JML.Admin' },
]);
const reader = principal([
  { typ: 'name', val: 'Rita Reader' },
  { typ: 'roles', val: 'JML.Reader' },
]);

describe('who may call /api/ops, and who the audit says acted', () => {
  it('without Easy Auth, a principal header is anyone’s to send: it is ignored, the key holder acts', () => {
    const forged = request('POST', { 'x-ms-client-principal-name': 'mallory', 'x-ms-client-principal': admin });
    expect(authorizeOps(forged, {})).toEqual({
      ok: true,
      caller: { actor: 'admin-key', via: 'admin-key', canWrite: true },
    });
    expect(authorizeOps(forged, { ENTRA_JML_LOCAL_HOST_BIND: '127.0.0.1' })).toMatchObject({
      caller: { actor: 'local-admin' },
    });
    expect(opsAuthLevel({})).toBe('admin');
  });

  it('with Easy Auth, the verified principal acts and needs an app role', () => {
    expect(opsAuthLevel(easyAuth)).toBe('anonymous');
    expect(opsAuthLevel({ WEBSITE_AUTH_ENABLED: 'false' })).toBe('admin');
    expect(authorizeOps(request('POST', { 'x-ms-client-principal': admin }), easyAuth)).toEqual({
      ok: true,
      caller: { actor: 'Alice Admin (oid-alice)', via: 'easy-auth', canWrite: true },
    });
    // The plain name header never names the actor.
    const named = request('GET', { 'x-ms-client-principal': reader, 'x-ms-client-principal-name': 'mallory' });
    expect(authorizeOps(named, easyAuth)).toMatchObject({ ok: true, caller: { actor: 'Rita Reader' } });
  });

  it('refuses no identity (401), no role (403), and a reader who acts (403)', () => {
    expect(authorizeOps(request('GET'), easyAuth)).toMatchObject({ ok: false, status: 401 });
    expect(authorizeOps(request('GET', { 'x-ms-client-principal': 'not base64 json' }), easyAuth)).toMatchObject({
      ok: false,
      status: 401,
    });
    const nobody = principal([{ typ: 'name', val: 'Nobody' }]);
    expect(authorizeOps(request('GET', { 'x-ms-client-principal': nobody }), easyAuth)).toMatchObject({
      ok: false,
      status: 403,
    });
    for (const method of ['POST', 'DELETE', 'PUT'])
      expect(authorizeOps(request(method, { 'x-ms-client-principal': reader }), easyAuth)).toMatchObject({
        ok: false,
        status: 403,
      });
  });

  it('reads roles under the claim type the principal names (role_typ) or the mapped role URI', () => {
    const mapped = principal(
      [
        { typ: 'preferred_username', val: 'bob@contoso.com' },
        { typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: 'JML.Admin' },
      ],
      { name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', role_typ: 'custom-role' },
    );
    expect(authorizeOps(request('POST', { 'x-ms-client-principal': mapped }), easyAuth)).toMatchObject({
      ok: true,
      caller: { actor: 'bob@contoso.com' },
    });
  });
});
