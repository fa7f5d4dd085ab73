import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A comma-separated list of application (client) ids; spaces around the commas are ignored. */
const AppIdList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(GUID, 'application (client) ids are GUIDs')).min(1, 'list at least one app id'));

/**
 * Lifecycle Workflows custom task extension callouts (POST /api/lcw/tasks). Lifecycle Workflows can only call a
 * consumption Logic App; ours forwards the callout with its managed identity
 * (https://learn.microsoft.com/entra/id-governance/lifecycle-workflow-extensibility). Both settings unset: the
 * endpoint refuses every callout (nothing is trusted by default).
 */
export const LcwSection = z.object({
  /** The audience the forwarded token must carry: our API's Application ID URI or client id. */
  LCW_AUDIENCE: z.string().min(1).optional(),
  /** The forwarding Logic App's managed identity client id(s): the token's appid (v1) or azp (v2). */
  LCW_CALLER_APP_IDS: AppIdList.optional(),
});
