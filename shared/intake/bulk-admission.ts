import type { QueueBacklog } from '../ports/queue-backlog';

/**
 * Back-pressure for POST /api/hr/bulkUpload: refuse early (429 + Retry-After) rather than slow every
 * caller down. Two limits:
 * - requests per second per calling app: Graph's bulkUpload allows 40
 *   (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-post-bulkupload), and a stand-in
 *   is at least as strict as the service it stands for;
 * - the HR events queue backlog: past BULK_UPLOAD_MAX_QUEUE_BACKLOG waiting messages the queue is saturated,
 *   and accepting more only lengthens everyone's wait. 429 + Retry-After is the signal HTTP defines for it
 *   (https://www.rfc-editor.org/rfc/rfc6585#section-4, https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3).
 * The backlog is read at most once a second (in Azure it is a management call).
 */
export interface AdmissionSettings {
  queueName: string;
  maxRequestsPerSecond: number;
  maxQueueBacklog: number;
  retryAfterSeconds: number;
}

export type Admission =
  | { ok: true }
  | { ok: false; retryAfterSeconds: number; reason: string }
  /** The backlog could not be read: admitted (monitoring rights must not stop HR intake), with the reason. */
  | { ok: true; warning: string };

const BACKLOG_READING_TTL_MS = 1000;

export class BulkAdmission {
  private readonly recent = new Map<string, number[]>();
  private reading: { at: number; active: number } | undefined;

  constructor(
    private readonly backlog: QueueBacklog,
    private readonly settings: AdmissionSettings,
    private readonly now: () => number = Date.now,
  ) {}

  async admit(appId: string): Promise<Admission> {
    const now = this.now();
    // Stryker disable next-line ArrayDeclaration: equivalent, the filter drops anything that is not an instant.
    const window = (this.recent.get(appId) ?? []).filter((t) => now - t < 1000);
    if (window.length >= this.settings.maxRequestsPerSecond) {
      this.recent.set(appId, window);
      return {
        ok: false,
        retryAfterSeconds: 1,
        reason: `more than ${this.settings.maxRequestsPerSecond} requests per second from app ${appId}`,
      };
    }
    window.push(now);
    this.recent.set(appId, window);
    let active: number;
    try {
      active = await this.activeMessages(now);
    } catch (error) {
      return { ok: true, warning: `queue backlog unknown: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (active >= this.settings.maxQueueBacklog)
      return {
        ok: false,
        retryAfterSeconds: this.settings.retryAfterSeconds,
        reason: `the HR events queue is saturated (${active} messages waiting; limit ${this.settings.maxQueueBacklog})`,
      };
    return { ok: true };
  }

  private async activeMessages(now: number): Promise<number> {
    if (this.reading && now - this.reading.at < BACKLOG_READING_TTL_MS) return this.reading.active;
    const active = await this.backlog.activeMessages(this.settings.queueName);
    this.reading = { at: now, active };
    return active;
  }
}
