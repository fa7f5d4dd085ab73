import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Flex Consumption's remote build runs `npm run build` on the uploaded package (.funcignore decides what is uploaded,
 * with gitignore rules), so the console's sources and its bundling script must be in it while the other scripts stay
 * out. Checked with git's own matcher, which implements the negation rules the simple patterns test cannot.
 */
describe('the deployment package builds the console', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'jml-funcignore-'));
  execFileSync('git', ['init', '-q'], { cwd: repo });
  copyFileSync(path.join(ROOT, '.funcignore'), path.join(repo, '.gitignore'));
  const ignored = (file: string): boolean => {
    try {
      execFileSync('git', ['check-ignore', '-q', '--no-index', file], { cwd: repo });
      return true;
    } catch {
      return false;
    }
  };

  it.each(['console/src/main.tsx', 'console/index.html', 'console/app.css', 'scripts/build-console.mjs'])(
    'ships %s',
    (file) => expect(ignored(file)).toBe(false),
  );
  it('still leaves out the other scripts and the built folder', () => {
    expect(ignored('scripts/azd-preflight.mjs')).toBe(true);
    expect(ignored('dist/console/app.js')).toBe(true);
  });
  it('npm run build bundles the console after compiling the app', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } };
    expect(pkg.scripts.build).toMatch(/tsc -p tsconfig\.json && node scripts\/build-console\.mjs$/);
  });
});
