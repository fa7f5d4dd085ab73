import * as df from 'durable-functions';
import { withGraphRequestTrail } from '../../shared/adapters/graph/request-trail';

/** Registers an activity whose Graph writes are collected for its audit rows (request-trail.ts). */
export function registerActivity(name: string, handler: (input: unknown) => unknown): void {
  df.app.activity(name, { handler: (input: unknown) => withGraphRequestTrail(async () => handler(input)) });
}
