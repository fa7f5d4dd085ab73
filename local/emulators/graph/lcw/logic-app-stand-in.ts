import { decodeJwt } from 'jose';
import type { TokenService } from '../token-service';

/**
 * The local stand-in for the consumption Logic App that infra/modules/lifecycle-logic-app.bicep deploys: it takes the
 * custom task extension's callout and forwards the body unchanged to the app's POST /api/lcw/tasks with its managed
 * identity's token. Here that token comes from the emulator's token service with the claims a managed identity token
 * for the app carries (iss = the tenant's v2 issuer, aud = the app id URI, azp/appid = the Logic App identity),
 * valid a few minutes. A forward that gets no 2xx is retried `maximumRetries` times (0 or 1,
 * https://learn.microsoft.com/graph/api/resources/customextensionclientconfiguration).
 */
export interface LogicAppSettings {
  /** aud of the forwarded token: the app's application id URI (LCW_AUDIENCE). */
  audience: string;
  /** The Logic App managed identity's application id (azp/appid), the first of LCW_CALLER_APP_IDS. */
  callerAppId: string;
  /** Where to forward: the app's POST /api/lcw/tasks. */
  targetUrl: () => string;
  /** How long one forward may take before it counts as failed. */
  attemptTimeoutMs: number;
}

export interface ForwardAttempt {
  attempt: number;
  url: string;
  sentDateTime: string;
  status: number | null;
  error: string | null;
  tokenClaims: Record<string, unknown>;
}

/** Minutes a forwarded token is valid: short, the call is made at once. */
const TOKEN_LIFETIME_SECONDS = 300;

export class LogicAppStandIn {
  constructor(
    private readonly tokens: TokenService,
    private readonly settings: LogicAppSettings,
  ) {}

  async forward(
    body: unknown,
    maximumRetries: number,
    now: () => number,
  ): Promise<{ accepted: boolean; attempts: ForwardAttempt[] }> {
    const attempts: ForwardAttempt[] = [];
    for (let attempt = 1; attempt <= 1 + maximumRetries; attempt++) {
      const token = await this.tokens.mint({
        aud: this.settings.audience,
        appid: this.settings.callerAppId,
        lifetimeSeconds: TOKEN_LIFETIME_SECONDS,
      });
      const url = this.settings.targetUrl();
      const record: ForwardAttempt = {
        attempt,
        url,
        sentDateTime: new Date(now()).toISOString(),
        status: null,
        error: null,
        tokenClaims: decodeJwt(token),
      };
      attempts.push(record);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.settings.attemptTimeoutMs),
        });
        record.status = response.status;
        await response.arrayBuffer();
        if (response.ok) return { accepted: true, attempts };
        record.error = `HTTP ${response.status}`;
      } catch (error) {
        record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
    }
    return { accepted: false, attempts };
  }
}
