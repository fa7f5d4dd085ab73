import { app, type HttpResponseInit } from '@azure/functions';
import { queueBacklog } from '../shared/adapters/queue-backlog/create-queue-backlog';
import { appInfo } from '../shared/app-info';
import { getConfig } from '../shared/config/config';
import { loadPolicy } from '../shared/domain/policy';
import { cachedReadiness } from '../shared/health/readiness';
import { services } from '../shared/services';

const readiness = cachedReadiness({
  config: () => loadPolicy(getConfig().ENTRA_JML_POLICY_FILE),
  directory: () => services().directory,
  auditLog: () => services().auditLog,
  queue: () => queueBacklog(getConfig()).activeMessages(getConfig().HR_EVENTS_QUEUE),
});

/** GET /api/health: 200 when the config, Graph, the audit store and the queue are ready; 503 naming what is not. */
app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (): Promise<HttpResponseInit> => {
    const { ready, checks } = await readiness();
    return {
      status: ready ? 200 : 503,
      headers: ready ? undefined : { 'retry-after': '30' },
      jsonBody: { name: appInfo.name, version: appInfo.version, status: ready ? 'ok' : 'not ready', checks },
    };
  },
});
