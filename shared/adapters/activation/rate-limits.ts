import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { RateLimiterMemory, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ActivationRateLimits } from '../../ports/activation-store';

/** Budgets: requests per IP and per activation in a window, and self-service resends per person. */
export interface RateBudgets {
  perIp: { points: number; durationSeconds: number };
  perPerson: { points: number; durationSeconds: number };
  resend: { points: number; durationSeconds: number };
}

class FlexibleRateLimits implements ActivationRateLimits {
  constructor(
    private readonly limiters: Record<'ip' | 'person' | 'resend', RateLimiterAbstract>,
    private readonly ready: Promise<void> = Promise.resolve(),
  ) {}

  async consume(scope: 'ip' | 'person' | 'resend', key: string) {
    await this.ready;
    try {
      await this.limiters[scope].consume(key);
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: Math.ceil(rejection.msBeforeNext / 1000) };
      throw rejection;
    }
  }
}

/**
 * rate-limiter-flexible over SQLite (better-sqlite3) in the data folder: budgets hold across the local host's
 * restarts and every function in it.
 */
export function sqliteRateLimits(file: string, budgets: RateBudgets): ActivationRateLimits {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const waits: Promise<void>[] = [];
  const make = (name: string, budget: { points: number; durationSeconds: number }) => {
    let done!: (error?: unknown) => void;
    waits.push(
      new Promise<void>(
        (resolve, reject) => (done = (e) => (e ? reject(e instanceof Error ? e : new Error(String(e))) : resolve())),
      ),
    );
    return new RateLimiterSQLite(
      {
        storeClient: db,
        storeType: 'better-sqlite3',
        tableName: `activation_${name}`,
        keyPrefix: name,
        points: budget.points,
        duration: budget.durationSeconds,
      },
      done,
    );
  };
  const limiters = {
    ip: make('ip', budgets.perIp),
    person: make('person', budgets.perPerson),
    resend: make('resend', budgets.resend),
  };
  return new FlexibleRateLimits(
    limiters,
    Promise.all(waits).then(() => undefined),
  );
}

/**
 * In Azure: per-instance memory budgets. The attempt limit that stops guessing is in the activation store and
 * holds across instances; these budgets only slow floods down (a shared backend such as Redis would make them
 * global: RateLimiterRedis takes the same options).
 */
export function memoryRateLimits(budgets: RateBudgets): ActivationRateLimits {
  const make = (budget: { points: number; durationSeconds: number }) =>
    new RateLimiterMemory({ points: budget.points, duration: budget.durationSeconds });
  return new FlexibleRateLimits({
    ip: make(budgets.perIp),
    person: make(budgets.perPerson),
    resend: make(budgets.resend),
  });
}
