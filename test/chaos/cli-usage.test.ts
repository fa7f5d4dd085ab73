import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** `npm run chaos -- --help` and mistyped options: a usage text and exit 0 / 2, never a stack trace. */
const cli = path.resolve(__dirname, '../../dist/local/chaos/run-chaos.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('chaos CLI usage', () => {
  it('--help prints the options and exits 0 without running a trial', () => {
    const { status, stdout } = run('--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^usage: npm run chaos -- \[--trials N\]/);
    expect(stdout).toContain('--faults kill,');
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--trials', 'many'], /--trials must be a number of 0 or more, not 'many'/],
    [['--faults', 'kill,meteor'], /--faults: unknown fault family meteor/],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const { status, stderr } = run(...args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('usage: npm run chaos');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
