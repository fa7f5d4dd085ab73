import { z } from 'zod';

/** HR intake settings. */
export const IntakeSection = z.object({
  /**
   * Comma-separated HMAC keys accepted on POST /api/hr/events (several at once for rotation). In Azure this
   * is a Key Vault reference. Outside Azure (no WEBSITE_INSTANCE_ID) the local default key is used when unset.
   */
  HR_WEBHOOK_SECRETS: z.string().optional(),
  /** Largest accepted webhook body, in bytes. */
  HR_WEBHOOK_MAX_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(1_000_000),
  WEBSITE_INSTANCE_ID: z.string().optional(),
});

export const LOCAL_WEBHOOK_SECRET = 'local-dev-webhook-secret';

/**
 * Bearer tokens on POST /api/hr/bulkUpload (the Entra API-driven inbound provisioning format). Defaults
 * point at the local Entra emulator; in a tenant set the JWKS to
 * https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys and the issuer to
 * https://login.microsoftonline.com/{tenant}/v2.0.
 */
export const InboundTokenSection = z.object({
  INBOUND_JWKS_URL: z.url().optional(),
  INBOUND_TOKEN_ISSUER: z.string().optional(),
  INBOUND_TOKEN_AUDIENCE: z.string().default('api://entra-jml'),
  INBOUND_REQUIRED_ROLE: z.string().default('SynchronizationData-User.Upload'),
  /** Optional YAML attribute mapping (worker field → expression) for bulkUpload; see shared/intake/attribute-mapping.ts. */
  BULK_UPLOAD_MAPPING_FILE: z.string().optional(),
});
