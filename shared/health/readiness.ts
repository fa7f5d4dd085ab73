import type { AuditLog } from '../ports/audit-log';
import type { Directory } from '../ports/directory';

type CheckResult = { ok: true } | { ok: false; reason: string };
export interface Readiness {
  ready: boolean;
  checks: Record<string, CheckResult>;
}

export interface ReadinessProbes {
  /** Parses the settings and the policy file; throws with the setting's name. */
  config: () => void;
  directory: () => Directory;
  auditLog: () => AuditLog;
  /** Reads the HR events queue's backlog: the queue service answers and the app may read it. */
  queue: () => Promise<unknown>;
}

/** A dependency that does not answer in this time counts as not ready. */
const PROBE_TIMEOUT_MS = 5_000;

async function probe(run: () => Promise<unknown>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 5 s')), PROBE_TIMEOUT_MS))),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What /api/health reports beyond "the process is up": the configuration is valid, a Graph token can be had
 * and Graph answers (GET /users/$count), the audit store answers, and the HR events queue can be read. Each
 * probe is independent, so one broken dependency is named without hiding the others.
 */
async function checkReadiness(probes: ReadinessProbes): Promise<Readiness> {
  const config = await probe(async () => probes.config());
  if (!config.ok) return { ready: false, checks: { config } };
  const [graph, storage, queue] = await Promise.all([
    probe(() => probes.directory().countUsers()),
    probe(() => probes.auditLog().query({ limit: 1 })),
    probe(() => probes.queue()),
  ]);
  const checks = { config, graph, storage, queue };
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}

/** Readiness at most once per interval, so a load balancer polling health never becomes Graph load. */
export function cachedReadiness(probes: ReadinessProbes, ttlMs = 30_000): () => Promise<Readiness> {
  let last: { at: number; value: Promise<Readiness> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), value: checkReadiness(probes) };
    return last.value;
  };
}
