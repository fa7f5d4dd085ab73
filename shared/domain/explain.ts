import type { WorkerRecord } from './hr-event';
import type { Policy } from './policy';
import { evaluateBirthright } from './rules';

/** Why a person is (or should be) in one group, per the policy. */
export interface GroupExplanation {
  groupId: string;
  groupName: string;
  kind: 'birthright' | 'licence';
  ruleIds: string[];
  policyVersion: string;
  /**
   * One sentence: "Engineering: rule engineering (Engineers get the engineering group) because department is
   * Engineering; policy 2026.11".
   */
  text: string;
}

/** For each group the policy gives the person: which rule(s), under which policy version, and why, in words. */
export function explainGroups(worker: WorkerRecord, policy: Policy): GroupExplanation[] {
  const descriptions = new Map(policy.birthright.rules.map((rule) => [rule.id, rule.description]));
  return evaluateBirthright(worker, policy).map((grant) => {
    const rules = grant.ruleIds
      .map((id) => {
        const description = descriptions.get(id);
        if (grant.kind === 'licence') return `licence group for ${grant.sku ?? id}`;
        return description ? `rule ${id} (${description})` : `rule ${id}`;
      })
      .join(' and ');
    const text = `${grant.groupName}: ${rules} because ${grant.reasons.join(', ')}; policy ${policy.version}`;
    return {
      groupId: grant.groupId,
      groupName: grant.groupName,
      kind: grant.kind,
      ruleIds: grant.ruleIds,
      policyVersion: policy.version,
      text,
    };
  });
}

/** The explanation as lines for the CLI. */
export function renderExplanation(worker: WorkerRecord, policy: Policy): string {
  const groups = explainGroups(worker, policy);
  if (groups.length === 0) return `${worker.employeeId}: no group from policy ${policy.version}`;
  return [
    `${worker.employeeId}: ${groups.length} group(s) from policy ${policy.version}`,
    ...groups.map((g) => `  - ${g.text}`),
  ].join('\n');
}
