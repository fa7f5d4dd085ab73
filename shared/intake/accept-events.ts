import { createHash } from 'node:crypto';
import { describeIssues, HrEvent } from '../domain/hr-event';
import type { EventQueue } from '../ports/event-queue';
import { checkDates } from './date-plausibility';
import { eventPriority, PRIORITY_PROPERTY } from './event-priority';
import type { Problem } from './problem';
import { mixedScriptWord } from './homoglyphs';

/**
 * The one pipeline behind every intake door: validate, check names for homoglyphs, then enqueue on
 * the HR events queue (sessionId = employee id keeps one person's events in order; messageId = employee id +
 * event id feeds duplicate detection, see queueMessageId). Nothing is enqueued unless every event in the
 * request is valid, and the caller answers 202 only after `send` resolved (accepted ⇒ stored).
 */

export type { Problem } from './problem';

/** `notices`: accepted, but the sender should know (a leave date in the past is applied at once). */
export type AcceptResult = { ok: true; events: HrEvent[]; notices: Problem[] } | { ok: false; problems: Problem[] };

export function validateEvents(body: unknown, source: HrEvent['source'], now = new Date()): AcceptResult {
  // Stryker disable next-line ConditionalExpression: equivalent, a JSON value that is not an object has no events.
  const batch = !!body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events);
  const list = batch ? (body as { events: unknown[] }).events : [body];
  if (list.length === 0 || list.length > 500)
    return { ok: false, problems: [{ path: 'events', reason: 'between 1 and 500 events per request' }] };
  // `null`, `[]` or `"x"` as a body is one (invalid) event, answered 400 like any other, never a crash.
  const prefix = (i: number) => (batch ? `events.${i}.` : '');
  const problems: Problem[] = [];
  const notices: Problem[] = [];
  const events: HrEvent[] = [];
  list.forEach((item, i) => {
    const withSource = item && typeof item === 'object' ? { ...item, source } : item;
    const parsed = HrEvent.safeParse(withSource);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error).map((p) => ({ path: `${prefix(i)}${p.path}`, reason: p.reason })));
      return;
    }
    const names = [
      'legalGivenName',
      'legalFamilyName',
      'preferredGivenName',
      'preferredFamilyName',
      'displayName',
    ] as const;
    for (const field of names) {
      const value = parsed.data.worker[field];
      const word = value ? mixedScriptWord(value) : null;
      if (word)
        problems.push({
          path: `${prefix(i)}worker.${field}`,
          reason: `mixes Latin with Cyrillic or Greek letters in "${word}" (look-alike characters)`,
        });
    }
    const dates = checkDates(parsed.data, now, prefix(i));
    problems.push(...dates.problems);
    notices.push(...dates.notices);
    events.push(parsed.data);
  });
  // Event ids are unique per person (see queueMessageId): the same id twice for one person in one request
  // is a mistake; for two people it is two events.
  const ids = new Set<string>();
  events.forEach((e, i) => {
    const key = queueMessageId(e);
    if (ids.has(key))
      problems.push({
        path: `${prefix(i)}eventId`,
        reason: `duplicate eventId ${e.eventId} for employee ${e.worker.employeeId} in one request`,
      });
    ids.add(key);
  });
  return problems.length ? { ok: false, problems } : { ok: true, events, notices };
}

/**
 * The queue's duplicate-detection key: employee id + event id. The same event id for the same person is a
 * replay (dropped by the queue, as meant); the same event id for another person is that person's event and
 * is processed, never dropped as a "duplicate" (HR systems number events per worker, and a global key would
 * lose the second person's event without a trace). Employee ids hold no ":" so the key is unambiguous;
 * Service Bus message ids are at most 128 characters, so a long event id is replaced by its SHA-256.
 * https://learn.microsoft.com/azure/service-bus-messaging/duplicate-detection
 */
export function queueMessageId(event: HrEvent): string {
  const key = `${event.worker.employeeId}:${event.eventId}`;
  if (key.length <= 128) return key;
  return `${event.worker.employeeId}:sha256:${createHash('sha256').update(event.eventId).digest('hex')}`;
}

/**
 * Queues the events: urgent ones (see eventPriority) marked with the priority property and, when an urgent
 * queue is configured (HR_URGENT_EVENTS_QUEUE in Azure), sent there so a bulk backlog cannot delay them.
 * Resolves once every message is stored.
 */
export async function enqueueEvents(
  queue: EventQueue,
  queueName: string,
  events: HrEvent[],
  urgentQueueName?: string,
): Promise<void> {
  const message = (event: HrEvent) => ({
    messageId: queueMessageId(event),
    sessionId: event.worker.employeeId,
    body: event,
    applicationProperties: {
      type: event.type,
      source: event.source,
      ...(eventPriority(event) === 'urgent' ? { [PRIORITY_PROPERTY]: 'urgent' } : {}),
    },
  });
  const separate = !!urgentQueueName && urgentQueueName !== queueName;
  const urgent = separate ? events.filter((e) => eventPriority(e) === 'urgent') : [];
  const normal = separate ? events.filter((e) => eventPriority(e) !== 'urgent') : events;
  await Promise.all([
    normal.length ? queue.send(queueName, normal.map(message)) : undefined,
    urgent.length ? queue.send(urgentQueueName!, urgent.map(message)) : undefined,
  ]);
}
