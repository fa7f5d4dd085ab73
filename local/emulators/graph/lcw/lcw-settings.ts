import { z } from 'zod';

/**
 * Settings of the emulator's Lifecycle Workflows, from the environment (local.settings.json Values on the local host).
 * LCW_AUDIENCE and LCW_CALLER_APP_IDS are the app's own settings: the stand-in mints the token the app expects.
 */
const LcwEnvironment = z.object({
  LCW_AUDIENCE: z.string().min(1).default('api://entra-jml'),
  LCW_CALLER_APP_IDS: z.string().default('11111111-1111-4111-8111-111111111111'),
  /** Where the Logic App stand-in forwards; default the host's own POST /api/lcw/tasks. */
  ENTRA_JML_LCW_CALLOUT_URL: z.url().optional(),
  /** Milliseconds between scheduler passes on the local host (0: only on demand). */
  ENTRA_JML_LCW_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** "1": the seeded workflow "Pre-hire activation" is enabled and scheduled. */
  ENTRA_JML_LOCAL_LCW: z.string().optional(),
});

export interface LcwSettings {
  audience: string;
  callerAppId: string;
  calloutUrl: string | undefined;
  intervalMs: number;
  seedEnabled: boolean;
}

export function lcwSettings(env: NodeJS.ProcessEnv = process.env): LcwSettings {
  const parsed = LcwEnvironment.parse(env);
  const callerAppId = parsed.LCW_CALLER_APP_IDS.split(',')
    .map((id) => id.trim())
    .find(Boolean);
  return {
    audience: parsed.LCW_AUDIENCE,
    callerAppId: callerAppId ?? '11111111-1111-4111-8111-111111111111',
    calloutUrl: parsed.ENTRA_JML_LCW_CALLOUT_URL,
    intervalMs: parsed.ENTRA_JML_LCW_INTERVAL_MS,
    seedEnabled: parsed.ENTRA_JML_LOCAL_LCW === '1',
  };
}
