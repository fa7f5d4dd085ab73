import { holdSqliteLock, activitiesInFlight } from './sqlite-lock';
import type { ArmedTrap, GraphFaults, PlannedFault, TrapFired } from './fault-plan';
import type { TrialOutcome } from './figures';
import type { Stack } from './stack';

type RunnerOutcome = Pick<TrialOutcome, 'faultsFired' | 'faultsUnreached' | 'killsInFlight' | 'recoveryMs'>;

/** The longest a trap holds the host still waiting for the kill (the harness kills within milliseconds). */
const FREEZE_MAX_MS = 60_000;

/**
 * Fires a trial's fault plan in order, each at its milestone counted from the previous fault: `accepted` here
 * (the workload reports each accepted delivery), the others by the traps armed in the host (traps.ts). A
 * milestone the workload never reaches (sending over, or the trial quiet) is reported as not reached.
 */
export class FaultRunner {
  private acceptedCount = 0;
  private sending = true;
  private stopping = false;
  private acting = false;
  private readonly waiters = new Set<() => void>();
  private readonly recoveries: Promise<void>[] = [];
  /** A timed Graph outage in force: restored after a restart (the emulator's faults live in the host's memory). */
  private outage: { until: number; faults: GraphFaults } | null = null;
  private readonly result: RunnerOutcome = { faultsFired: [], faultsUnreached: [], killsInFlight: [], recoveryMs: [] };

  constructor(
    private readonly stack: Stack,
    private readonly dataDir: string,
    private readonly plan: readonly PlannedFault[],
    private readonly recoveryTimeoutMs: number,
  ) {}

  accepted(): void {
    this.acceptedCount++;
    this.notify();
  }

  sendingDone(): void {
    this.sending = false;
    this.notify();
  }

  /** No fault is being acted on (no lock held, no restart under way): the trial may be judged quiet. */
  idle(): boolean {
    return !this.acting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stack.arm({ index: -1, milestone: { on: 'accepted', nth: 1 }, effect: { kind: 'notify' } });
    this.notify();
    await Promise.all(this.recoveries);
  }

  outcome(): RunnerOutcome {
    return this.result;
  }

  async run(): Promise<void> {
    for (const fault of this.plan) {
      const fired = this.stopping ? null : await this.reach(fault);
      if (!fired) {
        this.result.faultsUnreached.push(fault.name);
        continue;
      }
      this.result.faultsFired.push(fault.name);
      this.acting = true;
      try {
        await this.act(fault, fired);
      } finally {
        this.acting = false;
      }
    }
  }

  private notify(): void {
    for (const wake of this.waiters) wake();
  }

  private until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.waiters.delete(check);
        clearInterval(timer);
        resolve();
      };
      const timer = setInterval(check, 500);
      this.waiters.add(check);
      check();
    });
  }

  private async reach(fault: PlannedFault): Promise<TrapFired | null> {
    const m = fault.milestone;
    if (m.on === 'accepted') {
      const target = this.acceptedCount + m.nth;
      await this.until(() => this.acceptedCount >= target || !this.sending || this.stopping);
      return this.acceptedCount >= target ? { index: fault.index, on: 'accepted' } : null;
    }
    const a = fault.action;
    const effect: ArmedTrap['effect'] =
      a.kind === 'kill'
        ? { kind: 'freeze', maxMs: FREEZE_MAX_MS }
        : a.kind === 'graph'
          ? { kind: 'graph', faults: a.faults }
          : a.kind === 'slow-renewal'
            ? { kind: 'slow-renewal', lockMs: a.lockMs, seconds: a.seconds }
            : a.kind === 'disk-full'
              ? { kind: 'disk-full', seconds: a.seconds }
              : { kind: 'notify' };
    let fired: TrapFired | null = null;
    const off = this.stack.onTrap((report) => {
      if (report.index !== fault.index) return;
      fired = report;
      this.notify();
    });
    this.stack.arm({ index: fault.index, milestone: m, effect });
    await this.until(() => fired !== null || this.stopping);
    off();
    return fired;
  }

  private async act(fault: PlannedFault, fired: TrapFired): Promise<void> {
    const a = fault.action;
    switch (a.kind) {
      case 'kill':
        return this.killAndRestart();
      case 'graph':
        if (fired.on === 'accepted') await this.postGraphFaults(a.faults);
        else if (fired.outageUntil) this.outage = { until: fired.outageUntil, faults: a.faults };
        return;
      case 'sqlite-lock':
        await holdSqliteLock(this.dataDir, a.file, a.ms);
        return;
      case 'slow-renewal':
      case 'disk-full':
        return; // applied by the trap in the host
    }
  }

  private async postGraphFaults(faults: GraphFaults): Promise<void> {
    const { outageSeconds, ...rest } = faults;
    const until = outageSeconds ? Date.now() + outageSeconds * 1000 : undefined;
    if (until) this.outage = { until, faults };
    await this.stack.post('/_local/graph/_admin/faults', { ...rest, ...(until ? { unavailableUntil: until } : {}) });
  }

  /**
   * SIGKILL, then read the durable store for activities scheduled with no completion, restart on the same data,
   * restore a Graph outage still in force, and time the recovery: from the kill until every activity that was in
   * flight has completed (its work item is gone).
   */
  private async killAndRestart(): Promise<void> {
    const down = Date.now();
    await this.stack.kill();
    const inFlight = activitiesInFlight(this.dataDir);
    this.result.killsInFlight.push(inFlight.map((w) => w.name));
    await this.stack.start();
    if (this.outage && this.outage.until > Date.now()) {
      const { outageSeconds: _seconds, ...rest } = this.outage.faults;
      await this.stack.post('/_local/graph/_admin/faults', { ...rest, unavailableUntil: this.outage.until });
    }
    const ids = new Set(inFlight.map((w) => w.id));
    this.recoveries.push(
      (async () => {
        const deadline = down + this.recoveryTimeoutMs;
        while (Date.now() < deadline) {
          if (!activitiesInFlight(this.dataDir).some((w) => ids.has(w.id))) {
            this.result.recoveryMs.push(Date.now() - down);
            return;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
        this.result.recoveryMs.push(Date.now() - down);
      })(),
    );
  }
}
