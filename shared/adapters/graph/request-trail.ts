import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The client-request-id of each Graph write made on behalf of one unit of work (an activity), so its audit
 * row can name them: Graph echoes the id, and Microsoft support and the app's own logs find the request by it.
 * A write packed with other people's (RelationsBatcher) is noted for each of them.
 */
const trail = new AsyncLocalStorage<Set<string>>();

export function withGraphRequestTrail<T>(work: () => Promise<T>): Promise<T> {
  return trail.run(new Set(), work);
}

export function noteGraphRequest(clientRequestId: string): void {
  trail.getStore()?.add(clientRequestId);
}

/** Ids noted so far in this unit of work (empty outside one). */
export function graphRequestsSoFar(): string[] {
  return [...(trail.getStore() ?? [])];
}
