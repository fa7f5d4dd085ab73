import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Chart.js's UMD build (a maintained charting library, MIT), read once to be inlined in the HTML report so the
 * file works offline. The package exports only its ESM/CJS entries, so the UMD file is found next to the CJS one.
 */
let source: string | undefined;

export function chartJsSource(): string {
  source ??= readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js'), 'utf8');
  return source;
}
