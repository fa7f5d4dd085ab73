import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The "Graph timeout" fault: a request the emulator accepts (connection open, request read) and never answers.
 * Graph documents no such answer, but any network path can give one, and Microsoft's SDKs give up on a request
 * after 100 s (https://learn.microsoft.com/dotnet/api/system.net.http.httpclient.timeout,
 * https://github.com/microsoft/kiota-http-go/pull/24). Whether the write was applied is
 * unknown to the client, so both cases are offered: `hangApplied` false drops the request unapplied, true applies
 * it and drops only the answer.
 */
export interface HangFaults {
  /** The next N Graph requests (a $batch counts once) are never answered. */
  hangNext: number;
  /** The hung request is applied (only its answer is lost); false: it is dropped unapplied. */
  hangApplied: boolean;
  /**
   * How long a hung connection is held open without an answer when the client does not give up first (ms); then
   * the emulator closes it, still unanswered (the client sees a reset, as behind a proxy's idle timeout).
   */
  hangMs: number;
}

export const HANG_DEFAULTS: HangFaults = { hangNext: 0, hangApplied: false, hangMs: 300_000 };

/** Takes one hang from the faults: null when no request is to hang. */
export function takeHang(faults: HangFaults): { applied: boolean; ms: number } | null {
  if (faults.hangNext <= 0) return null;
  faults.hangNext--;
  return { applied: faults.hangApplied, ms: faults.hangMs };
}

/** Holds the request open, unanswered, until the client gives up or `ms` passed; then drops the connection. */
export function holdUnanswered(req: IncomingMessage, res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      if (!res.destroyed) res.destroy();
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    res.once('close', done);
    req.socket.once('close', done);
  });
}

/** The hang settings in an admin faults body (values of the wrong type are ignored, like the other faults). */
export function pickHangFaults(input: Record<string, unknown>): Partial<HangFaults> {
  const out: Partial<HangFaults> = {};
  if (typeof input.hangNext === 'number' && input.hangNext >= 0) out.hangNext = Math.floor(input.hangNext);
  if (typeof input.hangApplied === 'boolean') out.hangApplied = input.hangApplied;
  if (typeof input.hangMs === 'number' && input.hangMs >= 0) out.hangMs = input.hangMs;
  return out;
}
