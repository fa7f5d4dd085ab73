import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

/**
 * Issue 20: every `npm run -s jml -- …` command in the README's code blocks runs, as written, against a fresh local
 * host: it parses (never a usage error, exit 2), it does not crash, and the ones that need no prior data succeed.
 * Optional parts (`[...]`) are dropped, the first of `a|b` is taken, and placeholders get real values.
 */
const repoRoot = path.resolve(__dirname, '../..');
const run = promisify(execFile);

function readmeCommands(): string[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.startsWith('npm run -s jml -- '));
}

/** The command's arguments as a user would type them: comments, redirections and optional parts removed. */
function argumentsOf(line: string, files: Record<string, string>): string[] {
  const command = line
    .slice('npm run -s jml -- '.length)
    .replace(/\s+#.*$/, '')
    .replace(/\s*>\s*\S+$/, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\s\.\.\.(?=\s|$)/g, '');
  const words = command.match(/"[^"]*"|\S+/g) ?? [];
  return words.map((word) => {
    const unquoted = word.replace(/^"|"$/g, '');
    const first = /^[a-z]+(\|[a-z]+)+$/.test(unquoted) ? unquoted.split('|')[0]! : unquoted;
    return files[first] ?? first;
  });
}

describe('README commands run as written', () => {
  let host: HostProcess;
  let files: Record<string, string>;

  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'jml-readme-'));
    host = await startHostProcess({ appRoot: repoRoot, dataDir, env: { HR_EVENTS_QUEUE: 'hr-events' } });
    const today = new Date().toISOString().slice(0, 10);
    const worker = {
      employeeId: 'E1001',
      legalGivenName: 'Ada',
      legalFamilyName: 'Lovelace',
      hireDate: today,
      country: 'FR',
      department: 'Engineering',
    };
    const event = path.join(dataDir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({ eventId: 'readme-1', type: 'hire', occurredAt: new Date().toISOString(), worker }),
    );
    const record = path.join(dataDir, 'record.json');
    writeFileSync(record, JSON.stringify(worker));
    files = {
      'event.json': event,
      'record.json': record,
      'licences.html': path.join(dataDir, 'licences.html'),
      HOLD_ID: '00000000-0000-4000-8000-000000000000',
    };
  }, 60_000);
  afterAll(async () => host?.stop());

  // Commands that need nothing to exist beforehand must succeed on a fresh host (a search that finds no one: 3).
  const mustSucceed = /^(runs --status|dead-letters$|holds$|plan --csv|licences|import |audit --from)/;

  it('every npm run -s jml command of the README parses, runs and does not crash', async () => {
    const commands = readmeCommands();
    expect(commands.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    for (const line of commands) {
      const args = argumentsOf(line, files);
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const result = await run(npm, ['run', '-s', 'jml', '--', ...args, '--url', host.baseUrl], {
        cwd: repoRoot,
        timeout: 60_000,
      }).then(
        (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: typeof error.code === 'number' ? error.code : -1,
          out: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      const shown = `${args.join(' ')} → exit ${result.code}: ${result.out.trim().split('\n').slice(-2).join(' / ')}`;
      if (result.code === 2 || result.code === -1) failures.push(`usage error or no exit: ${shown}`);
      else if (/TypeError|ReferenceError|SyntaxError|Cannot read propert/.test(result.out))
        failures.push(`crash: ${shown}`);
      else if (mustSucceed.test(args.join(' ')) && result.code !== 0) failures.push(`failed: ${shown}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
