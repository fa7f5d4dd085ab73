import { z } from 'zod';
import { describeIssues, HrEvent } from '../domain/hr-event';
import type { EventQueue } from '../ports/event-queue';
import { mixedScriptWord } from './homoglyphs';

/**
 * The one pipeline behind every intake door: validate, check names for homoglyphs, then enqueue on
 * the HR events queue (sessionId = employee id keeps one person's events in order; messageId = event id
 * feeds duplicate detection). Nothing is enqueued unless every event in the request is valid, and the
 * caller answers 202 only after `send` resolved (accepted ⇒ stored).
 */
export const WebhookBody = z.union([
  z.object({ events: z.array(z.unknown()).min(1).max(500) }).strict(),
  z.record(z.string(), z.unknown()),
]);

export interface Problem {
  path: string;
  reason: string;
}

export type AcceptResult = { ok: true; events: HrEvent[] } | { ok: false; problems: Problem[] };

export function validateEvents(body: unknown, source: HrEvent['source']): AcceptResult {
  const list =
    body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events)
      ? (body as { events: unknown[] }).events
      : [body];
  if (list.length === 0 || list.length > 500)
    return { ok: false, problems: [{ path: 'events', reason: 'between 1 and 500 events per request' }] };
  const prefix = (i: number) => (list.length > 1 || (body as { events?: unknown }).events ? `events.${i}.` : '');
  const problems: Problem[] = [];
  const events: HrEvent[] = [];
  list.forEach((item, i) => {
    const withSource = item && typeof item === 'object' ? { ...(item as object), source } : item;
    const parsed = HrEvent.safeParse(withSource);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error).map((p) => ({ path: `${prefix(i)}${p.path}`, reason: p.reason })));
      return;
    }
    for (const field of ['legalGivenName', 'legalFamilyName', 'preferredGivenName', 'preferredFamilyName'] as const) {
      const value = parsed.data.worker[field];
      const word = value ? mixedScriptWord(value) : null;
      if (word)
        problems.push({
          path: `${prefix(i)}worker.${field}`,
          reason: `mixes Latin with Cyrillic or Greek letters in "${word}" (look-alike characters)`,
        });
    }
    events.push(parsed.data);
  });
  const ids = new Set<string>();
  events.forEach((e, i) => {
    if (ids.has(e.eventId)) problems.push({ path: `${prefix(i)}eventId`, reason: 'duplicate eventId in one request' });
    ids.add(e.eventId);
  });
  return problems.length ? { ok: false, problems } : { ok: true, events };
}

export async function enqueueEvents(queue: EventQueue, queueName: string, events: HrEvent[]): Promise<void> {
  await queue.send(
    queueName,
    events.map((event) => ({
      messageId: event.eventId,
      sessionId: event.worker.employeeId,
      body: event,
      applicationProperties: { type: event.type, source: event.source },
    })),
  );
}
