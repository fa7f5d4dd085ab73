import { createHash } from 'node:crypto';
import type { LicenceReport } from './report';

/**
 * The report as one self-contained HTML page: tables for products, thresholds, problems (people in a <details>)
 * and segments, and per product a Chart.js line chart of purchased / assigned / consumed over the stored days with
 * the 30-day forecast. Chart.js is inlined (its UMD build) so the file opens offline. Every text is escaped; the
 * data travels as JSON in a non-executed script element with `<` escaped. `scriptHashes` are the CSP hashes of the
 * two inline scripts, for a server that sends the page with `script-src` limited to them.
 */
function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}.num{text-align:right}.alert{color:#a4262c}.charts{display:flex;flex-wrap:wrap;gap:1rem}
.chart{width:420px;height:240px}details{margin:.25rem 0}`;

/** Draws one chart per product from the JSON data island; runs after Chart.js is defined. */
const CHARTS = `
(function () {
  var data = JSON.parse(document.getElementById('licence-data').textContent);
  var box = document.getElementById('charts');
  data.products.forEach(function (p) {
    var days = data.trend.filter(function (d) { return d.key === p.key; });
    var labels = days.map(function (d) { return d.date; });
    var forecast = days.map(function () { return null; });
    if (p.forecast.assignedIn30Days !== null && days.length) {
      forecast[forecast.length - 1] = days[days.length - 1].assigned;
      var end = new Date(labels[labels.length - 1] + 'T00:00:00Z');
      end.setUTCDate(end.getUTCDate() + 30);
      labels.push(end.toISOString().slice(0, 10));
      forecast.push(p.forecast.assignedIn30Days);
    }
    var wrap = document.createElement('div');
    wrap.className = 'chart';
    var canvas = document.createElement('canvas');
    canvas.setAttribute('aria-label', p.name + ': purchased, assigned and consumed by day');
    canvas.setAttribute('role', 'img');
    wrap.appendChild(canvas);
    box.appendChild(wrap);
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          { label: 'purchased', data: days.map(function (d) { return d.purchased; }), borderColor: '#605e5c' },
          { label: 'assigned', data: days.map(function (d) { return d.assigned; }), borderColor: '#0078d4' },
          { label: 'consumed', data: days.map(function (d) { return d.consumed; }), borderColor: '#107c10' },
          { label: 'forecast (assigned)', data: forecast, borderColor: '#0078d4', borderDash: [6, 4], spanGaps: true }
        ]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { title: { display: true, text: p.name } }
      }
    });
  });
  document.body.setAttribute('data-charts', String(data.products.length));
})();`;

function money(value: number | null, currency: string | null): string {
  return value === null ? '—' : `${value.toFixed(2)} ${currency ?? ''}`.trim();
}

function productsTable(report: LicenceReport): string {
  const rows = report.products
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.name)}</td><td class="num">${p.purchased}</td><td class="num">${p.assigned}</td>` +
        `<td class="num">${p.consumed}</td><td class="num">${p.available}</td>` +
        `<td class="num">${p.utilisation === null ? '—' : `${Math.round(p.utilisation * 100)}%`}</td>` +
        `<td class="num">${p.idle}</td><td class="num">${escapeHtml(money(p.monthlyCost, p.currency))}</td>` +
        `<td>${p.forecast.exhaustedOn ? escapeHtml(p.forecast.exhaustedOn) : '—'}</td>` +
        `<td class="num">${escapeHtml(money(p.forecast.monthlyGapCost, p.currency))}</td></tr>`,
    )
    .join('');
  return (
    '<table><caption>Purchased, assigned and consumed</caption><thead><tr><th>Product</th><th>Purchased</th>' +
    '<th>Assigned</th><th>Consumed</th><th>Available</th><th>Utilisation</th><th>Idle</th><th>Monthly cost</th>' +
    `<th>Runs out</th><th>Monthly cost of the gap</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function problemsSection(report: LicenceReport): string {
  if (report.problems.length === 0) return '<p>No problem found.</p>';
  return report.problems
    .map((p) => {
      const people = p.people
        .map(
          (x) =>
            `<li>${escapeHtml(x.userPrincipalName ?? x.id)}${x.displayName ? ` (${escapeHtml(x.displayName)})` : ''}` +
            `${x.note ? ` — ${escapeHtml(x.note)}` : ''}</li>`,
        )
        .join('');
      const cost = p.monthlyCost === null ? '' : `, ${escapeHtml(money(p.monthlyCost, p.currency))} a month`;
      return (
        `<details data-kind="${escapeHtml(p.kind)}"><summary><strong>${escapeHtml(p.kind)}</strong>: ` +
        `${escapeHtml(p.detail)} (${p.people.length} ${p.people.length === 1 ? 'person' : 'people'}${cost})` +
        `</summary>${p.groups.length ? `<p>Groups: ${p.groups.map(escapeHtml).join(', ')}</p>` : ''}` +
        `<ul>${people}</ul></details>`
      );
    })
    .join('');
}

function segmentsSection(report: LicenceReport): string {
  return Object.entries(report.segments)
    .map(
      ([dimension, rows]) =>
        `<table><caption>By ${escapeHtml(dimension)}</caption><thead><tr><th>${escapeHtml(dimension)}</th>` +
        '<th>Holders</th><th>Licences</th><th>Monthly cost</th><th>Idle</th><th>With problems</th></tr>' +
        '</thead><tbody>' +
        rows
          .map(
            (s) =>
              `<tr><td>${escapeHtml(s.value)}</td><td class="num">${s.holders}</td><td class="num">${s.licences}</td>` +
              `<td class="num">${s.monthlyCost.toFixed(2)}</td><td class="num">${s.idle}</td>` +
              `<td class="num">${s.problems}</td></tr>`,
          )
          .join('') +
        '</tbody></table>',
    )
    .join('');
}

export function renderLicenceHtml(
  report: LicenceReport,
  chartJsSource: string,
): { html: string; scriptHashes: string[] } {
  // Inline scripts end at the first "</script"; neither Chart.js nor the data may contain one unescaped.
  const library = chartJsSource.replace(/<\/script/gi, '<\\/script');
  const data = JSON.stringify({ products: report.products, trend: report.trend }).replace(/</g, '\\u003c');
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const thresholds = report.thresholds.length
    ? `<ul>${report.thresholds.map((t) => `<li class="alert">${escapeHtml(t.message)}</li>`).join('')}</ul>`
    : '<p>No threshold crossed.</p>';
  const t = report.totals;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Licence report ${escapeHtml(report.date)}` +
    `</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head><body>` +
    `<h1>Licence report ${escapeHtml(report.date)}</h1>` +
    `<p>${t.users} users, ${t.products} products, ${t.problems} problems concerning ${t.peopleWithProblems} ` +
    `people. Monthly cost ${escapeHtml(money(t.monthlyCost, t.currency))}; reclaimable ` +
    `${escapeHtml(money(t.reclaimableMonthlyCost, t.currency))}. Idle means no activity for ${report.idleDays} days` +
    `${report.signInActivityAvailable ? '' : ' (sign-in activity not readable: usage exports only)'}.</p>` +
    `<h2>Thresholds</h2>${thresholds}<h2>Products</h2>${productsTable(report)}` +
    `<h2>Trend and forecast</h2><div id="charts" class="charts"></div>` +
    `<h2>Problems</h2>${problemsSection(report)}<h2>Segments</h2>${segmentsSection(report)}` +
    `<script type="application/json" id="licence-data">${data}</script>` +
    `<script>${library}</script><script>${CHARTS}</script></body></html>`;
  return { html, scriptHashes: [hash(library), hash(CHARTS)] };
}
