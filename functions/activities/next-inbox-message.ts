import { registerActivity } from './register';
import { z } from 'zod';
import type { InboxEntry } from '../../shared/ports/person-inbox';
import { services } from '../../shared/services';
import { parseInput } from './activity-input';

const Input = z.object({ employeeId: z.string(), afterSeq: z.number().int().min(0) });

/** The person's next inbox message after the one they handled last (read-only, so safe to repeat). */
export async function nextInboxMessage(input: unknown): Promise<InboxEntry | null> {
  const { employeeId, afterSeq } = parseInput(Input, input);
  return services().personInbox.next(employeeId, afterSeq);
}

registerActivity('nextInboxMessage', nextInboxMessage);
