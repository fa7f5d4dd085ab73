import { opsRoute } from './ops-route';
import { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { licenceReportCsp } from '../shared/licences/report-csp';
import { services } from '../shared/services';
import { licenceServices } from './licence-services';

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

const RemediateBody = z
  .object({
    /** false (default): a dry run, nothing changes. */
    apply: z.boolean().default(false),
    /** The planDigest of a refused run over maxChanges: approves exactly that plan. */
    approve: z
      .string()
      .regex(/^[0-9a-f]{16}$/, 'the planDigest of the plan to approve')
      .optional(),
  })
  .strict();

/**
 * POST /api/ops/licences/remediate {apply?, approve?}: licence remediation (shared/licences/remediation-service.ts),
 * a dry run unless apply is true; only the actions the policy switches on are applied, each audited with the caller
 * as actor. 200 with the plan and outcomes; 409 when the run is over the policy's maxChanges and not approved.
 */
opsRoute('opsLicenceRemediate', {
  route: 'ops/licences/remediate',
  methods: ['POST'],
  handler: async (request: HttpRequest, _context, caller): Promise<HttpResponseInit> => {
    const text = await request.text();
    let json: unknown;
    try {
      json = text.trim() ? JSON.parse(text) : {};
    } catch {
      return { status: 400, jsonBody: { problems: [{ path: '', reason: 'the body is not JSON' }] } };
    }
    const parsed = RemediateBody.safeParse(json);
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const result = await licenceServices().remediation.run({ ...parsed.data, actor: caller.actor });
    return { status: result.refused ? 409 : 200, jsonBody: result };
  },
});
