import { registerActivity } from './register';
import { z } from 'zod';
import { HrEvent } from '../../shared/domain/hr-event';
import { workerSchedule } from '../../shared/domain/jml-decisions';
import type { InboxEntry } from '../../shared/ports/person-inbox';
import type { Schedule } from '../../shared/orchestration/person-state';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';

const Input = z.object({ employeeId: z.string(), afterSeq: z.number().int().min(0) });

/**
 * The person's next inbox message after the one they handled last (read-only, so safe to repeat), and for an HR
 * event its worker's schedule under the current policy (what scheduleFor answers): the orchestration decides with
 * it at once instead of calling a second activity, one episode less per event.
 */
export async function nextInboxMessage(input: unknown): Promise<(InboxEntry & { schedule?: Schedule }) | null> {
  const { employeeId, afterSeq } = parseInput(Input, input);
  const entry = await services().personInbox.next(employeeId, afterSeq);
  if (!entry) return null;
  const event = HrEvent.safeParse(entry.message);
  return event.success ? { ...entry, schedule: workerSchedule(event.data.worker, services().policy) } : entry;
}

registerActivity('nextInboxMessage', nextInboxMessage);
