import type { WorkerRecord } from './hr-event';
import type { Condition, Policy } from './policy';

/** One group a person should be in, and every rule (or licence entry) that grants it. */
export interface GroupGrant {
  groupId: string;
  groupName: string;
  /** The first rule that granted the group (licence grants: 'licence:<sku>'). */
  ruleId: string;
  /** Every rule that granted it, in policy order. */
  ruleIds: string[];
  kind: 'birthright' | 'licence';
  /** For licence groups: the skuPartNumber the group assigns. */
  sku?: string;
  /** Why each rule matched, in words ("department is Engineering"). */
  reasons: string[];
}

export interface ConditionResult {
  matched: boolean;
  /** For a match: what matched; otherwise the first condition that failed. */
  reasons: string[];
}

const norm = (value: string): string => value.trim().toLowerCase();

function listMatch(
  label: string,
  actual: string | undefined,
  accepted: string[] | undefined,
  reasons: string[],
): boolean {
  if (accepted === undefined) return true;
  if (actual !== undefined && accepted.some((value) => norm(value) === norm(actual))) {
    reasons.push(`${label} is ${actual}`);
    return true;
  }
  reasons.length = 0;
  reasons.push(
    actual === undefined
      ? `${label} is not set (wanted one of ${accepted.join(', ')})`
      : `${label} "${actual}" is not one of ${accepted.join(', ')}`,
  );
  return false;
}

/** Evaluates a policy condition: every listed condition must match; values compare case-insensitively. */
export function matchCondition(worker: WorkerRecord, when: Condition): ConditionResult {
  const reasons: string[] = [];
  const ok =
    listMatch('department', worker.department, when.department, reasons) &&
    jobTitleMatch(worker.jobTitle, when.jobTitle?.pattern, reasons) &&
    listMatch('country', worker.country, when.country, reasons) &&
    listMatch('employment type', worker.employmentType, when.employmentType, reasons) &&
    listMatch('cost centre', worker.costCenter, when.costCenter, reasons) &&
    listMatch('company', worker.company, when.company, reasons) &&
    listMatch('city', worker.city, when.city, reasons) &&
    listMatch('office', worker.officeLocation, when.officeLocation, reasons) &&
    Object.entries(when.extension ?? {}).every(([key, values]) =>
      listMatch(`extension ${key}`, extensionValue(worker, key), values, reasons),
    );
  if (ok && reasons.length === 0) reasons.push('applies to everyone');
  return { matched: ok, reasons };
}

function extensionValue(worker: WorkerRecord, key: string): string | undefined {
  const wanted = norm(key);
  const entry = Object.entries(worker.extensions).find(([k]) => norm(k) === wanted);
  return entry?.[1];
}

function jobTitleMatch(jobTitle: string | undefined, pattern: string | undefined, reasons: string[]): boolean {
  if (pattern === undefined) return true;
  if (jobTitle !== undefined && new RegExp(pattern, 'i').test(jobTitle)) {
    reasons.push(`job title "${jobTitle}" matches /${pattern}/`);
    return true;
  }
  reasons.length = 0;
  reasons.push(
    jobTitle === undefined
      ? `job title is not set (wanted /${pattern}/)`
      : `job title "${jobTitle}" does not match /${pattern}/`,
  );
  return false;
}

/**
 * The groups a person gets from the policy: birthright rules (all that match) and licence groups
 * (the first matching base licence plus every matching add-on). One entry per group; a group granted
 * by several rules lists them all in `ruleIds`.
 */
export function evaluateBirthright(worker: WorkerRecord, policy: Policy): GroupGrant[] {
  const grants = new Map<string, GroupGrant>();
  const grant = (
    groupId: string,
    groupName: string,
    ruleId: string,
    kind: GroupGrant['kind'],
    reasons: string[],
    sku?: string,
  ): void => {
    // Stryker disable next-line MethodExpression: equivalent, group ids are GUIDs (ASCII): any one case folds them.
    const key = groupId.toLowerCase();
    const existing = grants.get(key);
    if (existing) {
      if (!existing.ruleIds.includes(ruleId)) existing.ruleIds.push(ruleId);
      existing.reasons.push(...reasons.filter((r) => !existing.reasons.includes(r)));
      return;
    }
    grants.set(key, {
      groupId,
      groupName,
      ruleId,
      ruleIds: [ruleId],
      kind,
      reasons: [...reasons],
      ...(sku ? { sku } : {}),
    });
  };

  for (const rule of policy.birthright.rules) {
    const result = matchCondition(worker, rule.when);
    if (!result.matched) continue;
    for (const group of rule.groups) grant(group.id, group.name, rule.id, 'birthright', result.reasons);
  }

  let baseLicenceGranted = false;
  for (const licence of policy.licenceGroups) {
    if (!licence.addOn && baseLicenceGranted) continue;
    const result = matchCondition(worker, licence.when);
    if (!result.matched) continue;
    grant(licence.id, licence.name, `licence:${licence.sku}`, 'licence', result.reasons, licence.sku);
    if (!licence.addOn) baseLicenceGranted = true;
  }
  return [...grants.values()];
}

/** Ids of every group the policy puts the person in (birthright and licence groups), in policy order. */
export function desiredGroupIds(worker: WorkerRecord, policy: Policy): string[] {
  return evaluateBirthright(worker, policy).map((grant) => grant.groupId);
}

/** SCIM targets (enabled) whose scoping condition the person matches. */
export function scimTargetsInScope(worker: WorkerRecord, policy: Policy): Policy['scimTargets'] {
  return policy.scimTargets.filter((target) => target.enabled && matchCondition(worker, target.when).matched);
}
