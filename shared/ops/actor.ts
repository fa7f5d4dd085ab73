import { z } from 'zod';

/**
 * Who may call the operations API (`/api/ops/*`), and who the audit trail says acted.
 *
 * Two ways in, never mixed:
 * - App Service Authentication (Easy Auth) on (`WEBSITE_AUTH_ENABLED` = True, set by the platform; the Functions
 *   host reads the same setting, azure-functions-host EnvironmentExtensions.IsEasyAuthEnabled). Easy Auth verifies
 *   the caller's Entra token and injects `x-ms-client-principal` (base64 JSON of the claims); external requests
 *   cannot set that header ("External requests aren't allowed to set these headers, so they're present only if
 *   App Service sets them": https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities).
 *   The caller needs the app role `JML.Admin` (every call) or `JML.Reader` (GET only); the actor is the principal.
 *   The routes are then anonymous at the Functions layer: the host gives an Easy Auth identity no key level
 *   (azure-functions-host AuthenticationLevelHandler), so an `admin` route would refuse every signed-in admin.
 * - Otherwise the Functions host has checked the admin (master) key before the function runs (authLevel 'admin');
 *   the actor is `admin-key` in Azure and `local-admin` on the local host. Any `x-ms-client-principal*` header is
 *   ignored then: without Easy Auth in front, anyone can send one.
 */
export const ADMIN_ROLE = 'JML.Admin';
export const READER_ROLE = 'JML.Reader';

/** .NET bool.TryParse, as the Functions host reads the setting: "True"/"true", surrounding spaces allowed. */
function easyAuthEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^\s*true\s*$/i.test(env.WEBSITE_AUTH_ENABLED ?? '');
}

/** authLevel of every ops route: the Easy Auth principal is checked in the function, else the admin key by the host. */
export function opsAuthLevel(env: NodeJS.ProcessEnv = process.env): 'anonymous' | 'admin' {
  return easyAuthEnabled(env) ? 'anonymous' : 'admin';
}

/** The decoded X-MS-CLIENT-PRINCIPAL (configure-authentication-user-identities#decode-the-client-principal-header). */
const ClientPrincipal = z.object({
  auth_typ: z.string().optional(),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })).default([]),
});

/** Claim types Entra app roles arrive under, before and after App Service's claim mapping. */
const ROLE_CLAIM_TYPES = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const NAME_CLAIM_TYPES = [
  'preferred_username',
  'upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'name',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
  'appid',
  'azp',
];
const ID_CLAIM_TYPES = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'];

export interface OpsCaller {
  /** What the audit trail records as the actor. */
  actor: string;
  /** How the caller got in. */
  via: 'easy-auth' | 'admin-key';
  canWrite: boolean;
}

export type OpsAuthorization =
  { ok: true; caller: OpsCaller } | { ok: false; status: 401 | 403; body: { error: string } };

/** The request parts authorisation reads (an HttpRequest fits). */
interface RequestLike {
  method: string;
  headers: { get(name: string): string | null };
}

/** Read-only methods a JML.Reader may call. */
const READ_METHODS = new Set(['GET', 'HEAD']);

/** Decides whether this request may run, and who it runs as. */
export function authorizeOps(request: RequestLike, env: NodeJS.ProcessEnv = process.env): OpsAuthorization {
  const write = !READ_METHODS.has(request.method.toUpperCase());
  if (!easyAuthEnabled(env)) {
    const local = env.ENTRA_JML_LOCAL_HOST_BIND !== undefined;
    return { ok: true, caller: { actor: local ? 'local-admin' : 'admin-key', via: 'admin-key', canWrite: true } };
  }
  const header = request.headers.get('x-ms-client-principal');
  if (!header) return { ok: false, status: 401, body: { error: 'sign in: this API needs an Entra identity' } };
  const principal = decodePrincipal(header);
  if (!principal) return { ok: false, status: 401, body: { error: 'the client principal could not be read' } };
  const roleTypes = new Set([...ROLE_CLAIM_TYPES, ...(principal.role_typ ? [principal.role_typ] : [])]);
  const roles = new Set(principal.claims.filter((c) => roleTypes.has(c.typ)).map((c) => c.val));
  const canWrite = roles.has(ADMIN_ROLE);
  if (!canWrite && !roles.has(READER_ROLE))
    return { ok: false, status: 403, body: { error: `needs the app role ${ADMIN_ROLE} (or ${READER_ROLE} to read)` } };
  if (write && !canWrite) return { ok: false, status: 403, body: { error: `${READER_ROLE} can only read` } };
  return { ok: true, caller: { actor: actorName(principal), via: 'easy-auth', canWrite } };
}

function decodePrincipal(header: string): z.infer<typeof ClientPrincipal> | null {
  try {
    const parsed = ClientPrincipal.safeParse(JSON.parse(Buffer.from(header, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `name (object id)`: a readable name for people, the object id so two people of one name stay apart. */
function actorName(principal: z.infer<typeof ClientPrincipal>): string {
  const claim = (types: string[]) => types.map((t) => principal.claims.find((c) => c.typ === t)?.val).find(Boolean);
  const name = claim([...(principal.name_typ ? [principal.name_typ] : []), ...NAME_CLAIM_TYPES]);
  const id = claim(ID_CLAIM_TYPES);
  const who = name ?? id ?? 'unknown principal';
  return (id && name ? `${name} (${id})` : who).slice(0, 200);
}
