import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvocationContext } from '@azure/functions';
import { worker } from './domain/fixtures';
// Registers its triggers with the mocked app below (vi.mock is hoisted above the imports).
import '../../functions/hr-event-processor';

/**
 * The HR events trigger's handler with a recording durable client: a person's first event starts their lifecycle,
 * which reads its inbox from that event on, so it is not woken too (an event it would only drop: one durable call
 * and one queued event less per hire); an urgent first event still is (the wake-up carries the priority); a
 * running lifecycle is woken.
 */
const state = vi.hoisted(() => ({
  handler: null as null | ((message: unknown, context: unknown) => Promise<void>),
  calls: [] as string[],
  status: undefined as undefined | { runtimeStatus: string; input?: unknown },
}));

vi.mock('@azure/functions', () => ({
  app: {
    serviceBusQueue: (name: string, options: { handler: (m: unknown, c: unknown) => Promise<void> }) => {
      if (name === 'hrEventProcessor') state.handler = options.handler;
    },
  },
}));
vi.mock('durable-functions', () => ({
  input: { durableClient: () => ({}) },
  getClient: () => ({
    getStatus: (id: string) => {
      state.calls.push(`getStatus ${id}`);
      return state.status ? Promise.resolve(state.status) : Promise.reject(new Error('404'));
    },
    startNew: (name: string, options: { instanceId: string }) => {
      state.calls.push(`startNew ${name} ${options.instanceId}`);
      return Promise.resolve(options.instanceId);
    },
    raiseEvent: (id: string, event: string, data: unknown) => {
      state.calls.push(`raiseEvent ${id} ${event} ${JSON.stringify(data)}`);
      return Promise.resolve();
    },
  }),
}));
vi.mock('../../shared/services', () => ({
  services: () => ({
    config: { HR_EVENTS_QUEUE: 'hr-events' },
    personInbox: { append: () => Promise.resolve(7) },
    auditLog: { append: () => Promise.resolve() },
  }),
}));

const context = { log: () => undefined, warn: () => undefined, triggerMetadata: {} } as unknown as InvocationContext;
const event = (type: string, extra: object = {}) => ({
  eventId: `ev-${type}`,
  type,
  occurredAt: '2026-12-01T09:00:00Z',
  worker: worker(),
  ...extra,
});

beforeEach(() => {
  state.calls.length = 0;
  state.status = undefined;
});

describe('hrEventProcessor', () => {
  it("starts a new person's lifecycle at the event, without waking it as well", async () => {
    await state.handler!(event('hire'), context);
    expect(state.calls).toEqual(['getStatus person-E1001', 'startNew person person-E1001']);
  });

  it('an urgent first event (a rescind) starts the lifecycle and wakes it with the priority', async () => {
    await state.handler!(event('rescind'), context);
    expect(state.calls).toEqual([
      'getStatus person-E1001',
      'startNew person person-E1001',
      'raiseEvent person-E1001 hr-event {"seq":7,"priority":"urgent"}',
    ]);
  });

  it('a running lifecycle is woken, not started', async () => {
    state.status = { runtimeStatus: 'Running' };
    await state.handler!(event('update'), context);
    expect(state.calls).toEqual(['getStatus person-E1001', 'raiseEvent person-E1001 hr-event {"seq":7}']);
  });
});
