import { z } from 'zod';

/**
 * Directory settings. With no tenant credentials the app talks to the local Entra/Graph emulator that the
 * local host serves; with AZURE_TENANT_ID + a credential (secret, certificate or managed identity) it
 * talks to the real Microsoft Graph.
 */
export const GraphSection = z.object({
  /**
   * Graph root without version. Default: the local emulator on the local host, https://graph.microsoft.com with a
   * tenant; a national cloud sets its own (https://graph.microsoft.us, https://dod-graph.microsoft.us,
   * https://microsoftgraph.chinacloudapi.cn: https://learn.microsoft.com/graph/deployments).
   */
  GRAPH_BASE_URL: z.url().optional(),
  /**
   * Microsoft Entra authority host for tokens, default https://login.microsoftonline.com; national clouds:
   * https://login.microsoftonline.us, https://login.partner.microsoftonline.cn
   * (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud).
   */
  AZURE_AUTHORITY_HOST: z.url().optional(),
  AZURE_TENANT_ID: z.string().optional(),
  AZURE_CLIENT_ID: z.string().optional(),
  AZURE_CLIENT_SECRET: z.string().optional(),
  AZURE_CLIENT_CERTIFICATE_PATH: z.string().optional(),
  GRAPH_USE_MANAGED_IDENTITY: z.stringbool().default(false),
  /** Parallel Graph requests per tenant from one instance. */
  GRAPH_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /**
   * How long a group-membership change waits for others to share a members@odata.bind PATCH (20 members per
   * write) when changes arrive in a burst. A lone change goes at once. Longer: fewer Graph writes in bulk
   * onboarding, each hire later (bench joiners --graph-limits real: 2.49 writes per joiner at 500 ms vs 7 one call
   * per operation; bench latency: p95 0.7 s at 20 hires/s, 1.1 s at 1000 ms); 0: no added wait.
   */
  GRAPH_MEMBERSHIP_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(5000).default(500),
  /**
   * How long one Graph request may go unanswered before the step gives up on it and is retried (ms). Microsoft's
   * SDKs use 100 s (shared/adapters/graph/request-timeout.ts); without one a hung connection held a step forever.
   */
  GRAPH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(100_000),
  /** Mailbox the app sends notifications and one-time codes from. */
  MAIL_SENDER: z.email().default('hr-noreply@contoso.com'),
  /** Set by the local host (and by Azure): used to reach the local emulator. */
  WEBSITE_HOSTNAME: z.string().optional(),
});
