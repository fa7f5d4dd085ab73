import { explainGroups, renderExplanation, type GroupExplanation } from '../domain/explain';
import type { WorkerRecord } from '../domain/hr-event';
import type { Policy } from '../domain/policy';
import { desiredGroupIds } from '../domain/rules';
import type { Directory } from '../ports/directory';

export interface Explanation {
  policyVersion: string;
  groups: GroupExplanation[];
  directory: { userId: string | null; currentGroupIds: string[]; missing: string[]; notGrantedByPolicy: string[] };
  text: string;
}

/** Which rule and policy version grant each group to this worker, against what the directory holds now. */
export async function explainPerson(
  directory: Directory,
  policy: Policy,
  employeeId: string,
  worker: WorkerRecord,
): Promise<Explanation> {
  const user = await directory.findUserByEmployeeId(employeeId);
  const current = user ? await directory.listGroupIds(user.id) : [];
  const desired = desiredGroupIds(worker, policy);
  return {
    policyVersion: policy.version,
    groups: explainGroups(worker, policy),
    directory: {
      userId: user?.id ?? null,
      currentGroupIds: current,
      missing: desired.filter((g) => !current.includes(g)),
      notGrantedByPolicy: current.filter((g) => !desired.includes(g)),
    },
    text: renderExplanation(worker, policy),
  };
}
