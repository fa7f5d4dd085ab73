import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../shared/console/static-files';
import { startHostProcess, type HostProcess } from '../support/host-process';

const repoRoot = path.resolve(__dirname, '../..');
const MASTER_KEY = 'console-route-test-master-key';

/**
 * GET with the path sent byte for byte (fetch would normalise `%2e%2e` and `..` before sending, hiding what a
 * hostile client can send).
 */
function rawGet(
  port: number,
  rawPath: string,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The console served by the app on the local host, with keys enforced (as beyond a developer's machine). */
describe('console route on the local host', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-console-route-')),
      env: { HR_EVENTS_QUEUE: 'hr-events', ENTRA_JML_HOST_MASTER_KEY: MASTER_KEY },
    });
  });
  afterAll(async () => host?.stop());

  it('sends /api/console to /api/console/ so that relative asset URLs resolve', async () => {
    const answer = await rawGet(host.port, '/api/console');
    expect(answer.status).toBe(308);
    expect(new URL(answer.headers.location!, `${host.baseUrl}/api/console`).pathname).toBe('/api/console/');
  });

  it('serves the shell without a key, with its CSP, and the assets it names', async () => {
    const shell = await rawGet(host.port, '/api/console/');
    expect(shell.status).toBe(200);
    expect(shell.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(shell.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const assets = [...shell.body.matchAll(/(?:src|href)="(app\.(?:js|css)\?v=[0-9a-f]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      const answer = await rawGet(host.port, `/api/console/${asset}`);
      expect(answer.status).toBe(200);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('says it runs on the local host, with the Graph emulator', async () => {
    const answer = await rawGet(host.port, '/api/console/config.json');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(answer.body)).toMatchObject({ mode: 'local', graphEmulator: true });
  });

  it.each([
    '/api/console/..%2f..%2fpackage.json',
    '/api/console/..%2F..%2Flocal.settings.json.example',
    '/api/console/%2e%2e%2f%2e%2e%2fpackage.json',
    '/api/console/..%5c..%5cpackage.json',
    '/api/console/%2fetc%2fpasswd',
    '/api/console/..%2ffunctions%2fconsole.js',
  ])('refuses the traversal %s', async (rawPath) => {
    const answer = await rawGet(host.port, rawPath);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('entra-jml');
  });

  it('keeps the data behind the admin key: the shell is anonymous, the ops API is not', async () => {
    expect((await rawGet(host.port, '/api/ops/holds')).status).toBe(401);
  });
});
