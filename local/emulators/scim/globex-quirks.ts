import { SCIM_ERROR_SCHEMA } from './scim-error';

/**
 * globex-wiki behaves like the SaaS SCIM servers met in the field, so the fan-out's tolerance is tested, not
 * assumed. Each quirk departs from RFC 7643/7644 on purpose (the standard behaviour is acme-crm's):
 *
 * 1. Create answers 200 instead of 201 Created (RFC 7644 §3.3 requires 201).
 * 2. `active` comes back as the string "True"/"False" (RFC 7643 §2.3.2 and §4.1.1 make it a JSON boolean); the
 *    strings are also accepted on the way in, as Entra's default (non-aadOptscim062020) PATCH sends them.
 * 3. `meta` is omitted from every resource (RFC 7643 §3.1 lists it as a common attribute the server returns).
 * 4. PATCH paths with a value filter (`emails[type eq "work"].value`, `members[value eq "..."]`) are refused
 *    400 `invalidPath`, though RFC 7644 §3.5.2 allows them; operations without `path` and with a plain attribute
 *    path (`active`, `name.familyName`, `members`) work.
 * 5. ServiceProviderConfig says PATCH is supported (it is, partly: see 4) and bulk is not (targets.ts).
 * 6. Errors are `{"error": "...", "code": N}` rather than the SCIM Error schema of RFC 7644 §3.12.
 * Attribute names are matched case-insensitively, as RFC 7643 §2.1 asks of every server (scimmy does so).
 */
export const GLOBEX_CREATE_STATUS = 200;

/** A PATCH operation path the target refuses (quirk 4), or undefined when the request may proceed. */
export function refusedPatchPath(body: unknown): string | undefined {
  for (const operation of operationsOf(body)) {
    if (typeof operation.path === 'string' && operation.path.includes('[')) return operation.path;
  }
  return undefined;
}

/** Quirk 2, inbound: "True"/"False" for `active` in a create, replace or PATCH body become JSON booleans. */
export function acceptStringBooleans(method: string, body: unknown): void {
  if (!isObject(body)) return;
  if (method === 'POST' || method === 'PUT') {
    convertActive(body);
    return;
  }
  if (method !== 'PATCH') return;
  for (const operation of operationsOf(body)) {
    if (typeof operation.path === 'string' && operation.path.toLowerCase() === 'active') {
      operation.value = asBoolean(operation.value);
    } else if (operation.path === undefined && isObject(operation.value)) {
      convertActive(operation.value);
    }
  }
}

/** Quirks 2, 3 and 6, outbound: the body globex-wiki sends in place of the standard one. */
export function globexResponseBody(body: unknown): unknown {
  if (!isObject(body)) return body;
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  if (schemas.includes(SCIM_ERROR_SCHEMA)) {
    // The SCIM keyword (invalidPath, uniqueness...) survives as the start of the message, as such apps do.
    const detail = typeof body.detail === 'string' ? body.detail : 'error';
    const error = typeof body.scimType === 'string' ? `${body.scimType}: ${detail}` : detail;
    return { error, code: Number(body.status) };
  }
  if (Array.isArray(body.Resources)) return { ...body, Resources: body.Resources.map(globexResource) };
  return globexResource(body);
}

function globexResource(resource: unknown): unknown {
  if (!isObject(resource)) return resource;
  const { meta: _meta, ...rest } = resource;
  if (typeof rest.active === 'boolean') rest.active = rest.active ? 'True' : 'False';
  return rest;
}

function convertActive(resource: Record<string, unknown>): void {
  for (const key of Object.keys(resource)) {
    if (key.toLowerCase() === 'active') resource[key] = asBoolean(resource[key]);
  }
}

function asBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  return value;
}

function operationsOf(body: unknown): Record<string, unknown>[] {
  if (!isObject(body)) return [];
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const operations = key ? body[key] : undefined;
  return Array.isArray(operations) ? operations.filter(isObject) : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
