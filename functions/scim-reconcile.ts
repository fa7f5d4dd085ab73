import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { services } from '../shared/services';

/**
 * Reconcile timer (issue 19): each enabled SCIM target is compared with our state by the scimReconcile
 * orchestration (drift audited as scim.drift rows; repaired only for a target whose policy entry says
 * `reconcile: repair`). NCRONTAB schedule (six fields, seconds first:
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions) from the
 * SCIM_RECONCILE_SCHEDULE app setting, daily at 03:00 UTC by default. Read at registration, as the Functions host
 * reads a trigger's schedule once at start-up.
 */
const DEFAULT_SCHEDULE = '0 0 3 * * *';

app.timer('scimReconcileTimer', {
  schedule: process.env.SCIM_RECONCILE_SCHEDULE || DEFAULT_SCHEDULE,
  extraInputs: [df.input.durableClient()],
  handler: async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const client = df.getClient(context);
    const day = new Date().toISOString().slice(0, 10);
    for (const target of services().policy.scimTargets.filter((t) => t.enabled)) {
      const instanceId = `scim-reconcile-${target.id}-${day}`;
      try {
        await client.startNew('scimReconcile', { instanceId, input: { targetId: target.id } });
      } catch (error) {
        // Already running (a second instance of the timer, or a restart): one reconcile per target is enough.
        context.warn(`scim reconcile ${instanceId} not started: ${(error as Error).message}`);
      }
    }
  },
});
