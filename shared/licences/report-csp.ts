/**
 * The Content-Security-Policy the HTML licence report is served with: nothing may load (`default-src 'none'`),
 * only the page's own inline scripts run (Chart.js and the chart drawing, by their SHA-256 hashes), inline styles
 * for the page's stylesheet and Chart.js's canvas sizing, and data: images (Chart.js legends)
 * (hash-source: https://www.w3.org/TR/CSP3/#grammardef-hash-source).
 */
export function licenceReportCsp(scriptHashes: string[]): string {
  return `default-src 'none'; script-src ${scriptHashes.join(' ')}; style-src 'unsafe-inline'; img-src data:`;
}
