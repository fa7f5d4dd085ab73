import { app } from '@azure/functions';
import { appInfo } from '../shared/app-info';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { name: appInfo.name, version: appInfo.version, status: 'ok' } }),
});
