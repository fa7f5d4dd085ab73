import type { Response } from 'express';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';

/**
 * RFC 7644 §3.12: errors are JSON with the Error message schema, `status` as a string, an optional `scimType`
 * keyword and a human-readable `detail`. Sent with `res.json`, so a target's response shaping (globex-wiki's
 * non-standard error body) applies to these too.
 */
export function sendScimError(
  res: Response,
  status: number,
  detail: string,
  options: { scimType?: string; headers?: Record<string, string> } = {},
): void {
  res.status(status).type(SCIM_CONTENT_TYPE);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.json({
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(status),
    ...(options.scimType ? { scimType: options.scimType } : {}),
    detail,
  });
}
