import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Issue 23 item 9: whatever the README tells users to run must resolve to this project's code only. `npx NAME`
 * outside the repository (or before a package links its own bins) asks the npm registry for NAME, so whoever
 * publishes a package of that name would have their code run: the README uses npm scripts instead.
 */
const repoRoot = path.resolve(__dirname, '../..');

describe('README commands', () => {
  it('never send users to the registry for our CLIs (no npx entra-jml…)', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/npx\s+entra-jml/);
    expect(readme).toContain('npm run -s jml --');
  });

  it('npm run jml and npm run host run this repository’s CLIs', async () => {
    const run = promisify(execFile);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const jml = await run(npm, ['run', '-s', 'jml', '--', '--help'], { cwd: repoRoot });
    expect(jml.stdout).toContain('usage: entra-jml');
    const host = await run(npm, ['run', '-s', 'host', '--', '--help'], { cwd: repoRoot });
    expect(host.stdout).toContain('usage: entra-jml-host start');
  });
});
