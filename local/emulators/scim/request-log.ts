/** What a demo target was asked and answered: the admin `state` shows it so tests and demos can count calls. */
export interface LoggedRequest {
  at: string;
  method: string;
  /** Path and query relative to the target's base URL, e.g. `/Users?filter=userName eq "bjensen"`. */
  path: string;
  status: number;
}

/** Only the latest entries are kept; the counts cover every request since the last reset. */
const MAX_ENTRIES = 1_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private total = 0;
  private byStatus: Record<string, number> = {};
  private byMethod: Record<string, number> = {};

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.total++;
    this.byStatus[entry.status] = (this.byStatus[entry.status] ?? 0) + 1;
    this.byMethod[entry.method] = (this.byMethod[entry.method] ?? 0) + 1;
  }

  snapshot(): {
    requests: LoggedRequest[];
    counts: { requests: number; byStatus: Record<string, number>; byMethod: Record<string, number> };
  } {
    return {
      requests: [...this.entries],
      counts: { requests: this.total, byStatus: { ...this.byStatus }, byMethod: { ...this.byMethod } },
    };
  }

  reset(): void {
    this.entries = [];
    this.total = 0;
    this.byStatus = {};
    this.byMethod = {};
  }
}
