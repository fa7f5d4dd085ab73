import { z } from 'zod';

/**
 * Switchable faults of a demo target (admin API `POST /_local/scim/_admin/{targetId}/faults`), to prove the SCIM
 * fan-out retries, backs off and catches up. `rate` is the share of requests affected, chosen by a counter rather
 * than at random so a test sees the same requests fail every run: with rate r, request n (counted from the last
 * configuration) is affected when floor(n·r) > floor((n−1)·r), i.e. exactly 1 in 10 for 0.1, every 10th request.
 */
export const FaultSettingsSchema = z
  .object({
    mode: z.enum(['none', 'throttle', 'error500', 'slow', 'down']),
    /** Seconds in the Retry-After header of a 429 (and of a 503 when down). */
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    rate: z.number().min(0).max(1).optional(),
    /** Delay added before a slow request is served. */
    slowMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict();
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'error500' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'down'; retryAfterSeconds?: number };

const DEFAULT_RETRY_AFTER_SECONDS = 1;
const DEFAULT_SLOW_MS = 2_000;

export class FaultInjector {
  private settings: FaultSettings = { mode: 'none' };
  private requests = 0;
  private injected = 0;

  configure(settings: FaultSettings): void {
    this.settings = settings;
    this.requests = 0;
  }

  current(): FaultSettings & { requestsSinceConfigured: number; injected: number } {
    return { ...this.settings, requestsSinceConfigured: this.requests, injected: this.injected };
  }

  reset(): void {
    this.configure({ mode: 'none' });
    this.injected = 0;
  }

  /** Counts one request and says what happens to it. */
  decide(): FaultDecision {
    const { mode, rate = 1, retryAfterSeconds, slowMs } = this.settings;
    if (mode === 'none') return { kind: 'none' };
    const n = ++this.requests;
    // The epsilon keeps 3 × 0.1 = 0.30000000000000004 and 10 × 0.1 from tipping a floor the wrong way.
    const affected = Math.floor(n * rate + 1e-9) > Math.floor((n - 1) * rate + 1e-9);
    if (!affected) return { kind: 'none' };
    this.injected++;
    switch (mode) {
      case 'throttle':
        return { kind: 'throttle', retryAfterSeconds: retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS };
      case 'error500':
        return { kind: 'error500' };
      case 'slow':
        return { kind: 'slow', delayMs: slowMs ?? DEFAULT_SLOW_MS };
      case 'down':
        return { kind: 'down', ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
    }
  }
}
