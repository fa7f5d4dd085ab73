import type { Policy } from '../domain/policy';
import type { AuditLog, AuditRecord } from '../ports/audit-log';
import type { Directory } from '../ports/directory';
import { collectLicenceSnapshot } from './collect';
import { ReportContext } from './context';
import type { LicenceNotifier } from './licence-notifier';
import { planRemediation, type RemediationAction } from './remediation-plan';

export interface RemediationDeps {
  directory: Directory;
  policy: () => Policy;
  audit: AuditLog;
  notifier: LicenceNotifier;
  now?: () => Date;
}

export type ActionOutcome = 'planned' | 'disabled' | 'done' | 'pending' | 'failed';

export interface RemediationResult {
  dryRun: boolean;
  /** Give it back as `approve` to apply a plan over maxChanges (it names exactly these changes). */
  planDigest: string;
  maxChanges: number;
  /** Set when an apply was refused: more changes than maxChanges and no approval of this plan. */
  refused: string | null;
  actions: (RemediationAction & { outcome: ActionOutcome; detail: string | null })[];
  totals: { candidates: number; enabled: number; done: number; pending: number; failed: number };
}

/**
 * Licence remediation (remediation-plan.ts decides): a dry run by default; an apply changes only the actions the
 * policy switches on, through the Directory port, writes one audit row per effective change, tells the person (and
 * manager) what was removed, and refuses a run larger than maxChanges unless that exact plan is approved, like the
 * accidental-deletion guard (https://learn.microsoft.com/entra/identity/app-provisioning/accidental-deletions).
 */
export class LicenceRemediation {
  constructor(private readonly deps: RemediationDeps) {}

  async run(options: { apply: boolean; approve?: string; actor: string }): Promise<RemediationResult> {
    const now = this.deps.now?.() ?? new Date();
    const policy = this.deps.policy();
    const snapshot = await collectLicenceSnapshot(this.deps.directory, policy, { now });
    const ctx = new ReportContext(snapshot, policy, now);
    const plan = planRemediation(ctx);
    const maxChanges = ctx.licences.remediation.maxChanges;
    const enabled = plan.actions.filter((a) => a.enabled);
    const result = (
      outcomes: Map<string, { outcome: ActionOutcome; detail: string | null }>,
      refused: string | null,
    ) => {
      const actions = plan.actions.map((a) => ({
        ...a,
        ...(outcomes.get(a.key) ?? { outcome: a.enabled ? ('planned' as const) : ('disabled' as const), detail: null }),
      }));
      const count = (o: ActionOutcome) => actions.filter((a) => a.outcome === o).length;
      return {
        dryRun: !options.apply || refused !== null,
        planDigest: plan.digest,
        maxChanges,
        refused,
        actions,
        totals: {
          candidates: actions.length,
          enabled: enabled.length,
          done: count('done'),
          pending: count('pending'),
          failed: count('failed'),
        },
      };
    };
    if (!options.apply || enabled.length === 0) return result(new Map(), null);
    if (enabled.length > maxChanges && options.approve !== plan.digest) {
      const refused =
        `${enabled.length} changes exceed remediation.maxChanges (${maxChanges}); ` +
        `apply again with approve=${plan.digest} to approve exactly this plan`;
      await this.record(options.actor, now, {
        action: 'licence.remediate',
        outcome: 'held',
        reason: refused,
        before: null,
        after: { planDigest: plan.digest, changes: enabled.length },
      });
      return result(new Map(), refused);
    }
    const outcomes = new Map<string, { outcome: ActionOutcome; detail: string | null }>();
    for (const action of enabled) outcomes.set(action.key, await this.apply(action, options.actor, now, plan.digest));
    return result(outcomes, null);
  }

  private async apply(
    action: RemediationAction,
    actor: string,
    now: Date,
    digest: string,
  ): Promise<{ outcome: ActionOutcome; detail: string | null }> {
    const { directory } = this.deps;
    try {
      if (action.kind === 'remove-membership') {
        const { failures } = await directory.applyRelations(action.userId, { removeGroupIds: [action.groupId!] });
        if (failures.length) return this.failed(action, actor, now, failures.map((f) => f.code).join(', '));
      } else if (action.kind === 'remove-direct-licence') {
        await directory.assignLicenses(action.userId, [], [action.skuId!]);
      } else {
        const pending = await this.moveToGroup(action);
        if (pending) {
          // The membership is the effective change of this run; a later pending run changes nothing.
          if (!action.alreadyInGroup) await this.audited(action, actor, now, pending, 'success');
          return { outcome: 'pending', detail: pending };
        }
      }
    } catch (error) {
      return this.failed(action, actor, now, error instanceof Error ? error.message : String(error));
    }
    await this.audited(action, actor, now, null, 'success');
    if (action.kind !== 'move-to-group')
      await this.deps.notifier.notify({
        userId: action.userId,
        change: 'removed',
        products: [action.productName],
        reason: action.reason,
        changeKey: `remediation|${action.key}|${digest}`,
        actor,
        employeeId: null,
        correlation: {},
      });
    return { outcome: 'done', detail: null };
  }

  /**
   * Join the group first; remove the direct assignment only once the group's licence is active for the user, so
   * the person never goes without (licensing-groups-migrate-users). Returns why it is pending, or null when done.
   */
  private async moveToGroup(action: RemediationAction): Promise<string | null> {
    const { directory } = this.deps;
    if (!action.alreadyInGroup) {
      const { failures } = await directory.applyRelations(action.userId, { addGroupIds: [action.groupId!] });
      if (failures.length) throw new Error(`adding to ${action.groupId}: ${failures.map((f) => f.code).join(', ')}`);
    }
    const states = await directory.listLicenseStates(action.userId);
    const fromGroup = states.find(
      (s) => s.skuId === action.skuId && s.assignedByGroup?.toLowerCase() === action.groupId!.toLowerCase(),
    );
    if (fromGroup?.state !== 'Active') {
      const licence = fromGroup ? `${fromGroup.state} (${fromGroup.error})` : 'not processed yet';
      return (
        `added to group ${action.groupId}; its licence is ${licence}: ` +
        'the direct assignment stays until a later run finds it active'
      );
    }
    await directory.assignLicenses(action.userId, [], [action.skuId!]);
    return null;
  }

  private async failed(action: RemediationAction, actor: string, now: Date, detail: string) {
    await this.audited(action, actor, now, detail, 'failure');
    return { outcome: 'failed' as const, detail };
  }

  private audited(
    action: RemediationAction,
    actor: string,
    now: Date,
    detail: string | null,
    outcome: 'success' | 'failure',
  ): Promise<void> {
    return this.record(actor, now, {
      action: `licence.remediate.${action.kind}`,
      outcome,
      reason: [action.reason, detail].filter(Boolean).join('; '),
      before: { userId: action.userId, groupId: action.groupId, skuId: action.skuId, product: action.product },
      after: { switch: action.switch, userPrincipalName: action.userPrincipalName },
    });
  }

  private record(
    actor: string,
    now: Date,
    row: Pick<AuditRecord, 'action' | 'outcome' | 'reason' | 'before' | 'after'>,
  ): Promise<void> {
    return this.deps.audit.append([
      { at: now.toISOString(), actor, employeeId: null, target: 'entra', correlation: {}, ...row },
    ]);
  }
}
