import { z } from 'zod';

/**
 * Per-target quarantine circuit, after Entra's provisioning service: a target whose calls fail at a sustained
 * rate is quarantined (no calls but one probe at a time), probed again after a cool-down that grows while it stays
 * down, and closed when a probe succeeds. Entra quarantines a job when more than 40% of its calls fail
 * ("escrow" proportion) and retries it at +6 h, +12 h, +24 h:
 * https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status
 * We push in seconds, not 40-minute cycles, so the window and cool-downs are minutes, the proportion the same.
 *
 * Pure: the instant comes from the caller (the orchestration's replay-safe clock), the state is a plain value the
 * store keeps.
 */
export const CircuitSettings = z.object({
  /** Calls counted over this window (one bucket per minute). */
  windowMs: z
    .number()
    .int()
    .positive()
    .default(10 * 60_000),
  /** No verdict on fewer calls than this (Entra evaluates from 5,000 failures; a target sees far fewer here). */
  minCalls: z.number().int().positive().default(10),
  /** Quarantined when the share of failed calls in the window is above this (Entra: 40%). */
  failureRate: z.number().min(0).max(1).default(0.4),
  /** First cool-down before a probe; doubled each time a probe fails, up to maxCoolDownMs. */
  coolDownMs: z.number().int().positive().default(60_000),
  maxCoolDownMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
  /** A granted probe that never reports (crashed activity) frees the slot after this. */
  probeLeaseMs: z
    .number()
    .int()
    .positive()
    .default(2 * 60_000),
});
export type CircuitSettings = z.infer<typeof CircuitSettings>;

const BUCKET_MS = 60_000;
const LAST_ERRORS = 5;

const TargetError = z.object({
  at: z.string(),
  status: z.number().int().nullable(),
  detail: z.string(),
  employeeId: z.string().nullable(),
});

export const Circuit = z.object({
  state: z.enum(['closed', 'open', 'half-open']),
  /** Calls per minute bucket in the window: [bucket start ms, ok, failed]. */
  buckets: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** When the current quarantine began (null when closed). */
  openedAt: z.string().nullable(),
  /** Earliest instant of the next probe while open. */
  probeAt: z.string().nullable(),
  /** Half-open: the probe granted runs until this instant. */
  probeUntil: z.string().nullable(),
  /** Probes failed in a row in this quarantine (the cool-down doubles with each). */
  failedProbes: z.number().int().nonnegative(),
  lastErrors: z.array(TargetError),
});
export type Circuit = z.infer<typeof Circuit>;

export function closedCircuit(): Circuit {
  return {
    state: 'closed',
    buckets: [],
    openedAt: null,
    probeAt: null,
    probeUntil: null,
    failedProbes: 0,
    lastErrors: [],
  };
}

export type Admission = { send: true; probe: boolean } | { send: false; retryAt: string };

/** May a call go to the target now? Open: not before the probe time; half-open: one probe at a time. */
export function admit(
  circuit: Circuit,
  now: number,
  settings: CircuitSettings,
): { circuit: Circuit; admission: Admission } {
  if (circuit.state === 'closed') return { circuit, admission: { send: true, probe: false } };
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, only a half-open circuit has a
  // probeUntil (open() clears it), and only an open one a probeAt still ahead (a probe is granted once it passed).
  const probing = circuit.state === 'half-open' && circuit.probeUntil && Date.parse(circuit.probeUntil) > now;
  if (probing) return { circuit, admission: { send: false, retryAt: circuit.probeUntil! } };
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, see probing above.
  if (circuit.state === 'open' && circuit.probeAt && Date.parse(circuit.probeAt) > now)
    return { circuit, admission: { send: false, retryAt: circuit.probeAt } };
  const probeUntil = iso(now + settings.probeLeaseMs);
  return { circuit: { ...circuit, state: 'half-open', probeUntil }, admission: { send: true, probe: true } };
}

export interface CallResult {
  ok: boolean;
  status?: number | null;
  detail?: string;
  employeeId?: string | null;
  /** The call was the half-open probe admit() granted. */
  probe?: boolean;
}

export type Transition = 'quarantined' | 'recovered' | 'probe-failed' | null;

/** Counts one call's result and moves the circuit: closed → open on a sustained failure rate, probes decide. */
export function report(
  circuit: Circuit,
  now: number,
  result: CallResult,
  settings: CircuitSettings,
): { circuit: Circuit; transition: Transition } {
  const buckets = countCall(circuit.buckets, now, result.ok, settings.windowMs);
  const lastErrors = result.ok
    ? circuit.lastErrors
    : [
        ...circuit.lastErrors,
        {
          at: iso(now),
          status: result.status ?? null,
          detail: result.detail ?? '',
          employeeId: result.employeeId ?? null,
        },
      ].slice(-LAST_ERRORS);
  const next: Circuit = { ...circuit, buckets, lastErrors };
  if (circuit.state === 'closed') {
    if (result.ok || !sustainedFailure(buckets, settings)) return { circuit: next, transition: null };
    return { circuit: open(next, now, 0, settings), transition: 'quarantined' };
  }
  // Only the probe decides: a call admitted before the circuit opened and answered late proves little.
  if (circuit.state === 'open' || !result.probe) return { circuit: next, transition: null };
  if (result.ok) return { circuit: { ...closedCircuit(), lastErrors }, transition: 'recovered' };
  return { circuit: open(next, now, circuit.failedProbes + 1, settings), transition: 'probe-failed' };
}

function sustainedFailure(buckets: Circuit['buckets'], settings: CircuitSettings): boolean {
  const calls = buckets.reduce((sum, [, ok, failed]) => sum + ok + failed, 0);
  const failed = buckets.reduce((sum, [, , f]) => sum + f, 0);
  return calls >= settings.minCalls && failed / calls > settings.failureRate;
}

function open(circuit: Circuit, now: number, failedProbes: number, settings: CircuitSettings): Circuit {
  const coolDown = Math.min(settings.coolDownMs * 2 ** failedProbes, settings.maxCoolDownMs);
  return {
    ...circuit,
    state: 'open',
    openedAt: circuit.openedAt ?? iso(now),
    probeAt: iso(now + coolDown),
    probeUntil: null,
    failedProbes,
  };
}

function countCall(buckets: Circuit['buckets'], now: number, ok: boolean, windowMs: number): Circuit['buckets'] {
  const start = now - (now % BUCKET_MS);
  const live = buckets.filter(([at]) => at > now - windowMs && at !== start);
  const current = buckets.find(([at]) => at === start) ?? [start, 0, 0];
  const counted: [number, number, number] = [start, current[1] + (ok ? 1 : 0), current[2] + (ok ? 0 : 1)];
  return [...live, counted].sort((a, b) => a[0] - b[0]);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
