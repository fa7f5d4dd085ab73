import * as df from 'durable-functions';
import { withGraphRequestTrail } from '../../shared/adapters/graph/request-trail';
import { withStepIdentity } from './step-identity';

/**
 * Registers an activity whose Graph writes are collected for its audit rows (request-trail.ts), and whose audit
 * intents are keyed by the step it is (step-identity.ts).
 */
export function registerActivity(name: string, handler: (input: unknown) => unknown): void {
  df.app.activity(name, {
    handler: (input: unknown) => withStepIdentity(name, input, () => withGraphRequestTrail(async () => handler(input))),
  });
}
