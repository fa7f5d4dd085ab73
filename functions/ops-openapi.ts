import type { HttpResponseInit } from '@azure/functions';
import { OPS_OPENAPI } from '../shared/ops/openapi';
import { opsRoute } from './ops-route';

/** GET /api/ops/openapi.json: the OpenAPI 3.1 description of every /api/ops route. */
opsRoute('opsOpenApi', {
  route: 'ops/openapi.json',
  methods: ['GET'],
  handler: async (): Promise<HttpResponseInit> => ({ jsonBody: OPS_OPENAPI }),
});
