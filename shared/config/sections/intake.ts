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
