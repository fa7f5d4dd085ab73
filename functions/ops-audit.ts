import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { InvalidContinuationToken } from '../shared/ports/audit-log';
import { services } from '../shared/services';
import { opsRoute } from './ops-route';

/** A date means its whole day (UTC): from 2026-01-01 is from its first instant, to 2026-01-31 up to its last. */
const Instant = (endOfDay: boolean) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()])
    .transform((value) =>
      value.length === 10 ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : new Date(value).toISOString(),
    );

const Query = z.object({
  employeeId: z.string().max(16).optional(),
  target: z.string().max(64).optional(),
  from: Instant(false).optional(),
  to: Instant(true).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  continuationToken: z.string().max(1024).optional(),
});

/** RFC 4180 cell, with a leading quote on cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * GET /api/ops/audit?employeeId=&target=&from=&to=&format=json|csv&limit=&continuationToken=
 * One page of at most `limit` records. When more exist the answer says so: `continuationToken` and
 * `nextLink` in JSON, the `x-ms-continuation` and `Link: <…>; rel="next"` headers in CSV (RFC 8288).
 */
opsRoute('opsAudit', {
  route: 'ops/audit',
  methods: ['GET'],
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = Query.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const { format, ...query } = parsed.data;
    let page;
    try {
      page = await services().auditLog.page(query);
    } catch (error) {
      if (!(error instanceof InvalidContinuationToken)) throw error;
      return { status: 400, jsonBody: { problems: [{ path: 'continuationToken', reason: error.message }] } };
    }
    const { records, continuationToken } = page;
    let nextLink: string | null = null;
    if (continuationToken) {
      const next = new URL(request.url);
      next.searchParams.set('continuationToken', continuationToken);
      nextLink = next.toString();
    }
    if (format === 'json') return { jsonBody: { value: records, continuationToken, nextLink } };
    const header = [
      'at',
      'actor',
      'action',
      'employeeId',
      'target',
      'outcome',
      'reason',
      'before',
      'after',
      'eventId',
      'instanceId',
    ];
    const lines = records.map((r) =>
      [
        r.at,
        r.actor,
        r.action,
        r.employeeId,
        r.target,
        r.outcome,
        r.reason,
        r.before,
        r.after,
        r.correlation.eventId,
        r.correlation.instanceId,
      ]
        .map(csvCell)
        .join(','),
    );
    const more: Record<string, string> = nextLink
      ? { 'x-ms-continuation': continuationToken!, link: `<${nextLink}>; rel="next"` }
      : {};
    return {
      headers: { 'content-type': 'text/csv; charset=utf-8', ...more },
      body: [header.join(','), ...lines].join('\r\n'),
    };
  },
});
