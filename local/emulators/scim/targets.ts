/**
 * The SCIM 2.0 demo targets the local host serves at /_local/scim/{targetId}/v2: what stands in for the
 * downstream SaaS apps of the SCIM fan-out (issue 19) when there are none.
 *
 * - acme-crm follows RFC 7643/7644 to the letter (what scimmy does, plus bulk and ETags).
 * - globex-wiki behaves like the SaaS apps found in the field (quirks in globex-quirks.ts, each with its rule).
 * - initech-hr is compliant without bulk or ETags: the third target of `npm run bench -- scim-fanout` (1,000 × 3).
 */
export type ScimTargetId = 'acme-crm' | 'globex-wiki' | 'initech-hr';

export interface ScimTargetDefinition {
  readonly id: ScimTargetId;
  /** App setting holding the bearer token the target accepts, and the token used when it is not set. */
  readonly tokenSetting: string;
  readonly defaultToken: string;
  readonly quirky: boolean;
  /** Page size when a query gives no `count` (RFC 7644 §3.4.2.4 leaves the default to the service provider). */
  readonly defaultPageSize: number;
  /** `filter.maxResults` of the ServiceProviderConfig (RFC 7643 §5): no page is larger. */
  readonly maxResults: number;
  /** Bulk support announced (RFC 7644 §3.7); scimmy runs the operations over the same handlers. */
  readonly bulk: { supported: false } | { supported: true; maxOperations: number; maxPayloadSize: number };
  /** ETags (RFC 7644 §3.14): meta.version, the ETag header and If-Match preconditions. */
  readonly etag: boolean;
  readonly sort: boolean;
}

export const SCIM_TARGETS: readonly ScimTargetDefinition[] = [
  {
    id: 'acme-crm',
    tokenSetting: 'SCIM_DEMO_TOKEN_ACME_CRM',
    defaultToken: 'local-acme-crm-token',
    quirky: false,
    defaultPageSize: 100,
    maxResults: 200,
    bulk: { supported: true, maxOperations: 50, maxPayloadSize: 1_048_576 },
    etag: true,
    sort: true,
  },
  {
    id: 'globex-wiki',
    tokenSetting: 'SCIM_DEMO_TOKEN_GLOBEX_WIKI',
    defaultToken: 'local-globex-wiki-token',
    quirky: true,
    defaultPageSize: 50,
    maxResults: 100,
    bulk: { supported: false },
    etag: false,
    sort: false,
  },
  {
    id: 'initech-hr',
    tokenSetting: 'SCIM_DEMO_TOKEN_INITECH_HR',
    defaultToken: 'local-initech-hr-token',
    quirky: false,
    defaultPageSize: 100,
    maxResults: 200,
    bulk: { supported: false },
    etag: false,
    sort: true,
  },
];

export function scimTarget(id: string): ScimTargetDefinition | undefined {
  return SCIM_TARGETS.find((t) => t.id === id);
}

/** The bearer token of each target: the app setting when set, else the documented local default. */
export function scimTargetTokens(env: NodeJS.ProcessEnv = process.env): Record<ScimTargetId, string> {
  const tokens = {} as Record<ScimTargetId, string>;
  for (const target of SCIM_TARGETS) tokens[target.id] = env[target.tokenSetting] || target.defaultToken;
  return tokens;
}

/** Path of a target's SCIM base URL on the host listener. */
export function scimTargetBasePath(id: ScimTargetId): string {
  return `/_local/scim/${id}/v2`;
}
