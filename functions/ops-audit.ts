import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { describeIssues } from '../shared/domain/hr-event';
import { services } from '../shared/services';

const Query = z.object({
  employeeId: z.string().max(16).optional(),
  target: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  format: z.enum(['json', 'csv']).default('json'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/** RFC 4180 cell, with a leading quote on cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** GET /api/ops/audit?employeeId=&target=&from=&to=&format=json|csv */
app.http('opsAudit', {
  route: 'ops/audit',
  methods: ['GET'],
  authLevel: 'admin',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const parsed = Query.safeParse(Object.fromEntries(request.query.entries()));
    if (!parsed.success) return { status: 400, jsonBody: { problems: describeIssues(parsed.error) } };
    const { format, ...query } = parsed.data;
    const records = await services().auditLog.query(query);
    if (format === 'json') return { jsonBody: { value: records } };
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
    return { headers: { 'content-type': 'text/csv; charset=utf-8' }, body: [header.join(','), ...lines].join('\r\n') };
  },
});
