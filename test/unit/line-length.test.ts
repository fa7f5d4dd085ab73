import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Prettier (print width 120) wraps code but not comments, strings, template literals or SQL, so this guards
// the rest. Length counts characters (code points), not bytes or UTF-16 units: 'José' is 4 long.
const MAX_LINE_LENGTH = 120;
const repoRoot = path.resolve(__dirname, '../..');

function trackedSources(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.mjs', '*.cjs'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return out.split('\0').filter(Boolean);
}

/** `file:line (length)` for every line longer than the limit. */
function longLines(file: string, text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const length = [...line].length;
    return length > MAX_LINE_LENGTH ? [`${file}:${index + 1} (${length})`] : [];
  });
}

describe('source line length', () => {
  it('finds a long line and names it file:line, counting characters rather than bytes', () => {
    expect(longLines('a.ts', `short\n${'x'.repeat(121)}\n${'é'.repeat(120)}`)).toEqual(['a.ts:2 (121)']);
  });

  it(`no tracked *.ts, *.mjs or *.cjs file has a line over ${MAX_LINE_LENGTH} characters`, () => {
    const files = trackedSources();
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.flatMap((file) => longLines(file, readFileSync(path.join(repoRoot, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
