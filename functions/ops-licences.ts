import { opsRoute } from './ops-route';
import { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { licenceReportCsp } from '../shared/licences/report-csp';
import { services } from '../shared/services';

const Query = z.object({ format: z.enum(['json', 'csv', 'html']).default('json') });

const CONTENT_TYPE = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/**
 * GET /api/ops/licences/report?format=json|csv|html: the licence compliance report built now (read-only: the daily
 * timer is what records the history and mails). The HTML page may run only its own two inline scripts (CSP hashes).
 */
opsRoute('opsLicenceReport', {
  route: 'ops/licences/report',
  methods: ['GET'],
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = Query.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const { format } = parsed.data;
    const reports = services().licenceReports;
    const { body, scriptHashes } = reports.render(await reports.build(), format);
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE[format], 'cache-control': 'no-store' };
    if (format === 'html') headers['content-security-policy'] = licenceReportCsp(scriptHashes);
    return { headers, body };
  },
});
