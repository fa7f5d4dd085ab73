import type { LicenceReport } from './report';

/**
 * The report as one CSV (RFC 4180, CRLF): a `product` row per SKU and app tier, then a `problem` row per person
 * concerned by each problem, so a spreadsheet can filter either. Cells a spreadsheet would run as a formula get a
 * leading quote (CSV injection).
 */
const HEADER = [
  'section',
  'product',
  'purchased',
  'assigned',
  'consumed',
  'available',
  'utilisation',
  'monthlyCost',
  'currency',
  'problem',
  'detail',
  'userPrincipalName',
  'displayName',
  'department',
  'country',
  'costCenter',
  'userType',
  'note',
  'groups',
];

function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderLicenceCsv(report: LicenceReport): string {
  const lines = [HEADER.join(',')];
  const names = new Map(report.products.map((p) => [p.key, p.name]));
  for (const p of report.products)
    lines.push(
      [
        'product',
        p.name,
        p.purchased,
        p.assigned,
        p.consumed,
        p.available,
        p.utilisation,
        p.monthlyCost,
        p.currency,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        p.groupId ?? '',
      ]
        .map(cell)
        .join(','),
    );
  for (const problem of report.problems) {
    const product = problem.products.map((key) => names.get(key) ?? key).join(' + ');
    const perPerson = problem.people.length ? (problem.monthlyCost ?? 0) / problem.people.length : null;
    for (const person of problem.people)
      lines.push(
        [
          'problem',
          product,
          '',
          '',
          '',
          '',
          '',
          problem.monthlyCost === null ? '' : Math.round(perPerson! * 100) / 100,
          problem.currency,
          problem.kind,
          problem.detail,
          person.userPrincipalName ?? person.id,
          person.displayName,
          person.department,
          person.country,
          person.costCenter,
          person.userType,
          person.note,
          problem.groups.join(' '),
        ]
          .map(cell)
          .join(','),
      );
  }
  return `${lines.join('\r\n')}\r\n`;
}
