import { opsRoute } from './ops-route';
import { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { licenceReportCsp } from '../shared/licences/report-csp';
import { services } from '../shared/services';

const Query = z.object({
  format: z.enum(['json', 'csv', 'html']).default('json'),
  /** A report the daily timer kept: the newest, or a day's. */
  saved: z.union([z.literal('latest'), z.iso.date()]).optional(),
});

const CONTENT_TYPE = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/**
 * GET /api/ops/licences/report?format=json|csv|html: the licence compliance report built now (read-only: the daily
 * timer is what records the history and mails); with saved=latest (or saved=YYYY-MM-DD), the report the daily
 * timer kept (Blob storage in Azure, the data folder locally) instead, 404 when there is none. The HTML page may
 * run only its own two inline scripts (CSP hashes).
 */
opsRoute('opsLicenceReport', {
  route: 'ops/licences/report',
  methods: ['GET'],
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = Query.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const { format, saved } = parsed.data;
    const reports = services().licenceReports;
    let answer: { body: string; scriptHashes: string[] };
    if (saved) {
      const kept = await reports.readSaved(saved, format);
      if (!kept) return { status: 404, jsonBody: { error: `no licence report kept for ${saved}` } };
      answer = kept;
    } else answer = reports.render(await reports.build(), format);
    const { body, scriptHashes } = answer;
    const headers: Record<string, string> = { 'content-type': CONTENT_TYPE[format], 'cache-control': 'no-store' };
    if (format === 'html') headers['content-security-policy'] = licenceReportCsp(scriptHashes);
    return { headers, body };
  },
});
