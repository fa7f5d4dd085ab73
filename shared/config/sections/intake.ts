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
 * Back-pressure on POST /api/hr/bulkUpload: answer 429 with Retry-After instead of slowing every caller.
 * Graph's bulkUpload allows 40 requests per second
 * (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload); the queue counts as
 * saturated once BULK_UPLOAD_MAX_QUEUE_BACKLOG messages wait on the HR events queue (active, not yet delivered).
 */
const BulkUploadSection = z.object({
  BULK_UPLOAD_MAX_REQUESTS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(40),
  BULK_UPLOAD_MAX_QUEUE_BACKLOG: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
  /** Seconds a refused caller is told to wait (Retry-After) when the queue is saturated. */
  BULK_UPLOAD_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

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
  /**
   * Optional YAML attribute mapping (worker field → expression) for bulkUpload; see
   * shared/intake/attribute-mapping.ts.
   */
  BULK_UPLOAD_MAPPING_FILE: z.string().optional(),
  // Merged here so the config schema (shared/config/config.ts) picks the bulkUpload settings up unchanged.
  ...BulkUploadSection.shape,
});
