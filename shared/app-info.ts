import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Name and version from the app's package.json (read once). */
export const appInfo: { name: string; version: string } = (() => {
  // Works from both the sources (shared/) and the build (dist/shared/).
  for (const candidate of [
    path.join(__dirname, '..', 'package.json'),
    path.join(__dirname, '..', '..', 'package.json'),
  ]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'entra-jml') return { name: pkg.name, version: pkg.version ?? '0.0.0' };
    } catch {
      // try the next candidate
    }
  }
  return { name: 'entra-jml', version: '0.0.0' };
})();
