import type { HrEvent } from '../domain/hr-event';

/**
 * Which HR events go ahead of bulk work: an immediate termination (a security leaver: access must go now) and
 * a rescind (a cancelled hire: the account must not appear on day 1). A burst of 10,000 hires must not hold
 * them up. Everything else keeps the normal lane.
 */
export type EventPriority = 'urgent' | 'normal';

export function eventPriority(event: HrEvent): EventPriority {
  if (event.type === 'terminate' && event.immediate) return 'urgent';
  if (event.type === 'rescind') return 'urgent';
  return 'normal';
}

/**
 * The application property that marks urgent messages. Azure Service Bus has no message priority: there the
 * urgent events go to their own queue (HR_URGENT_EVENTS_QUEUE, the priority queue pattern,
 * https://learn.microsoft.com/azure/architecture/patterns/priority-queue) and this is metadata; the local
 * queue serves sessions holding a message marked so first, within each session in order.
 */
export const PRIORITY_PROPERTY = 'priority';
