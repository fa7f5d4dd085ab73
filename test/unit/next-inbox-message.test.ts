import { describe, expect, it, vi } from 'vitest';
import { nextInboxMessage } from '../../functions/activities/next-inbox-message';
import { scheduleFor } from '../../functions/activities/schedule-for';
import { demoPolicy, worker } from './domain/fixtures';

/**
 * nextInboxMessage brings an HR event's schedule with it (what scheduleFor answers under the same policy), so the
 * person orchestration decides in the episode that reads the message: one activity and one episode less per event.
 */
const state = vi.hoisted(() => ({ inbox: [] as { seq: number; message: unknown }[], policy: null as unknown }));

vi.mock('../../shared/services', () => ({
  services: () => ({
    policy: state.policy,
    personInbox: {
      next: (_employeeId: string, afterSeq: number) =>
        Promise.resolve(state.inbox.find((entry) => entry.seq > afterSeq) ?? null),
    },
  }),
}));
vi.mock('durable-functions', () => ({ app: { activity: () => undefined } }));

const hire = {
  eventId: 'ev-1',
  type: 'hire',
  occurredAt: '2026-11-20T09:00:00Z',
  worker: worker({ leaveDate: '2027-06-30' }),
};

describe('nextInboxMessage', () => {
  it("an HR event comes with its worker's schedule, the one scheduleFor gives", async () => {
    state.policy = demoPolicy;
    state.inbox = [{ seq: 3, message: hire }];
    const waiting = await nextInboxMessage({ employeeId: 'E1001', afterSeq: 0 });
    expect(waiting).toEqual({ seq: 3, message: hire, schedule: scheduleFor(hire.worker) });
    expect(waiting?.schedule).toMatchObject({ leaveAt: expect.stringMatching(/^2027-0[67]-/) });
  });

  it('a re-evaluation request or an unreadable message comes alone; nothing after the seq is null', async () => {
    state.policy = demoPolicy;
    const reevaluate = { kind: 'reevaluate', employeeId: 'E1001', requestId: 'r-1' };
    state.inbox = [
      { seq: 1, message: reevaluate },
      { seq: 2, message: { eventId: 'x' } },
    ];
    expect(await nextInboxMessage({ employeeId: 'E1001', afterSeq: 0 })).toEqual({ seq: 1, message: reevaluate });
    expect(await nextInboxMessage({ employeeId: 'E1001', afterSeq: 1 })).toEqual({ seq: 2, message: { eventId: 'x' } });
    expect(await nextInboxMessage({ employeeId: 'E1001', afterSeq: 2 })).toBeNull();
  });
});
