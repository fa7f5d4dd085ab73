import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * Which step an activity invocation is: the orchestration instance, the activity and a hash of its input. A retry
 * of the same call (Durable Functions runs activities at least once, with the same input) has the same identity, so
 * a write-ahead audit intent recorded by one attempt is found by the next (AuditLog.intend). The Durable Task
 * framework gives an activity no task id of its own in the Node.js SDK, so the input is what names the call.
 */
interface StepIdentity {
  step: string;
  /** Actions whose intent this attempt opened or found: their row closes it. */
  intents: Set<string>;
}

const current = new AsyncLocalStorage<StepIdentity>();

export function withStepIdentity<T>(activity: string, input: unknown, work: () => Promise<T>): Promise<T> {
  const instanceId = (input as { instanceId?: unknown } | null)?.instanceId;
  if (typeof instanceId !== 'string') return work();
  const digest = createHash('sha256')
    .update(JSON.stringify(input) ?? '')
    .digest('base64url');
  return current.run({ step: `${instanceId}|${activity}|${digest}`, intents: new Set() }, work);
}

/** The key of `action`'s intent in this step, or null outside an identified step. */
export function intentKeyOf(action: string): string | null {
  const identity = current.getStore();
  return identity ? `${identity.step}|${action}` : null;
}

export function noteIntent(action: string): void {
  current.getStore()?.intents.add(action);
}

/** Whether this attempt opened or found `action`'s intent (its row is then the one that closes it). */
export function holdsIntent(action: string): boolean {
  return current.getStore()?.intents.has(action) ?? false;
}
