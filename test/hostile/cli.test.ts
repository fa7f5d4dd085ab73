import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The CLI as a careless user meets it (issue 23 items 10 and 12): no host needed for these.
 * Output goes through pipes (execFile), as in `entra-jml audit --csv | wc -l`.
 */
const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/local/cli/entra-jml.js');
const MAPPING = path.join(repoRoot, 'examples/hr-extract.mapping.yaml');
const HEADER = 'Employee ID,First Name,Last Name,Department,Title,Country,Manager ID,Start Date,Action';

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ENTRA_JML_URL: '' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

function file(name: string, content: string | Buffer): string {
  const target = path.join(mkdtempSync(path.join(tmpdir(), 'jml-cli-hostile-')), name);
  writeFileSync(target, content);
  return target;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('entra-jml CLI, careless and hostile use', () => {
  it('--help prints the usage on stdout and exits 0, for the tool and for a command', async () => {
    for (const args of [['--help'], ['-h'], ['audit', '--help']]) {
      const out = await cli(...args);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('usage: entra-jml import-csv');
    }
    expect((await cli()).code).toBe(2);
  });

  it('never cuts output written to a pipe (drains stdout before it exits)', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `P${i},Person,Number${i},Eng,Engineer,FR,,2026-12-01,hire`);
    const out = await cli(
      'import-csv',
      file('big.csv', [HEADER, ...rows].join('\n')),
      '--mapping',
      MAPPING,
      '--dry-run',
    );
    expect(out.code).toBe(0);
    expect(out.stdout.length).toBeGreaterThan(131_072);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1500);
    expect((JSON.parse(lines.at(-1)!) as { worker: { employeeId: string } }).worker.employeeId).toBe('P1499');
  });

  it('names the URL it could not reach', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const out = await cli('audit', '--url', url);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`cannot reach ${url}`);
    expect(out.stderr).toContain('ECONNREFUSED');
    const csv = file('ok.csv', `${HEADER}\nC1,Ada,Lovelace,Eng,Eng,FR,,2026-12-01,hire\n`);
    const imported = await cli('import-csv', csv, '--mapping', MAPPING, '--url', url);
    expect(imported.stderr).toContain(`cannot reach ${url}`);
  });

  it('says why a hold id is refused before calling anything', async () => {
    const out = await cli('holds', 'approve', 'not-a-guid', '--url', 'http://127.0.0.1:9');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('"not-a-guid" is not a hold id: hold ids are GUIDs');
  });

  it('re-evaluates nobody by accident: everyone must be said with --all', async () => {
    const out = await cli('reevaluate', '--url', 'http://127.0.0.1:9');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--all');
  });

  it('refuses a Latin-1 extract naming the line and showing it, sending nothing', async () => {
    const latin1 = Buffer.from(`${HEADER}\nC1,José,Núñez,Eng,Eng,FR,,2026-12-01,hire\n`, 'latin1');
    const out = await cli(
      'import-csv',
      file('latin1.csv', latin1),
      '--mapping',
      MAPPING,
      '--url',
      'http://127.0.0.1:9',
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/line 2: \(file\): not UTF-8.*\(got "C1,José,Núñez/);
  });

  it('lists every bad row with its line and value; a missing column is one problem', async () => {
    const rows = [
      'C1,Ada',
      'C2,Bob,Smith,Eng,Eng,Atlantis,,2026-12-01,hire',
      'C3,\u001b[31mEve,X,Eng,Eng,FR,,2026-12-01,hire',
    ];
    const csv = `${[HEADER, ...rows].join('\n')}\n`;
    const out = await cli('import-csv', file('bad.csv', csv), '--mapping', MAPPING, '--dry-run');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('3 problem(s)');
    expect(out.stderr).toContain('line 2: (row): 2 field(s) where the header has 9');
    expect(out.stderr).toContain('line 3: worker.country: "Atlantis" is not an ISO 3166 country code or name');
    expect(out.stderr).toMatch(/line 4: worker.legalGivenName: contains the control character U\+001B/);
    const noColumn = `Employee ID,First Name\n${'C1,Ada\n'.repeat(20)}`;
    const missing = await cli('import-csv', file('cols.csv', noColumn), '--mapping', MAPPING, '--dry-run');
    expect(missing.stderr).toMatch(/^7 problem\(s\)/);
    expect(missing.stderr).not.toContain('line 2');
  });
});
