import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assetVersion, CONSOLE_CSP, consoleFile, isSafeRelativePath } from '../../shared/console/static-files';

/** A console folder (dist/console stand-in) next to a file it must never serve. */
let root: string;
const SECRET = 'secret-settings-never-served';

beforeAll(() => {
  const parent = mkdtempSync(path.join(tmpdir(), 'jml-console-'));
  root = path.join(parent, 'console');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(path.join(root, 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'app.css'), 'body{}');
  writeFileSync(path.join(root, '.env'), SECRET);
  writeFileSync(path.join(root, 'notes.txt'), SECRET);
  writeFileSync(path.join(parent, 'local.settings.json'), SECRET);
  symlinkSync(path.join(parent, 'local.settings.json'), path.join(root, 'linked.json'));
});

describe('console static files', () => {
  it('serves the shell for an empty path, with the CSP and a revalidated cache', async () => {
    const answer = await consoleFile(root, '', null);
    expect(answer.status).toBe(200);
    expect(String(answer.body)).toContain('<title>console</title>');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toMatch(/^default-src 'self'/);
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('gives each asset its content type', async () => {
    expect((await consoleFile(root, 'app.js', null)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await consoleFile(root, 'app.css', null)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lets a content-addressed URL (?v=hash) be cached for good, any other only with revalidation', async () => {
    const hash = assetVersion(Buffer.from('console.log(1)'));
    expect((await consoleFile(root, 'app.js', hash)).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await consoleFile(root, 'app.js', 'stale0000000')).headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 without a body when the ETag matches', async () => {
    const first = await consoleFile(root, 'app.js', null);
    const again = await consoleFile(root, 'app.js', null, `W/"x", ${first.headers.etag}`);
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
  });

  it.each([
    ['../local.settings.json'],
    ['sub/../../local.settings.json'],
    ['..\\local.settings.json'],
    ['/etc/passwd'],
    ['./index.html'],
    ['sub//index.html'],
    ['.env'],
    ['index.html\0.js'],
    ['linked.json'],
    ['notes.txt'],
    ['sub'],
    ['missing.js'],
  ])('refuses %j with a plain 404 that reveals nothing', async (requested) => {
    const answer = await consoleFile(root, requested, null);
    expect(answer.status).toBe(404);
    expect(String(answer.body)).not.toContain(SECRET);
    expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
  });

  it('accepts only plain names separated by slashes', () => {
    expect(isSafeRelativePath('app.js')).toBe(true);
    expect(isSafeRelativePath('icons/logo.svg')).toBe(true);
    expect(isSafeRelativePath('..')).toBe(false);
    expect(isSafeRelativePath('a/./b')).toBe(false);
    expect(isSafeRelativePath('x'.repeat(300))).toBe(false);
  });
});
