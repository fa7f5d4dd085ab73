import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostProcess } from '../support/host-process';

const CLI = path.resolve(__dirname, '../../dist/local/host/cli.js');
const reservedApp = path.resolve(__dirname, '../fixtures/reserved-route-app');
const slowApp = path.resolve(__dirname, '../fixtures/slow-start-app');

function runHostToExit(
  appRoot: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, 'start', '--cwd', appRoot, '--port', '0'], {
    env: { ...process.env, ENTRA_JML_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'jml-parity-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    }),
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the local host refuses what the Azure Functions host refuses', () => {
  it.each(['admin/settings', 'administration/x', 'runtime/x', 'Admin'])(
    'fails start-up for a route beginning with a reserved prefix (%s), with Azure message',
    async (route) => {
      const { code, out } = await runHostToExit(reservedApp, { RESERVED_ROUTE: route });
      expect(code).not.toBe(0);
      expect(out).toContain('The specified route conflicts with one or more built in routes.');
      expect(out).toContain("Function 'settings'");
    },
  );

  it('starts the same app when the route is not reserved', async () => {
    const host = await startHostProcess({ appRoot: reservedApp, env: { RESERVED_ROUTE: 'ops/settings' } });
    try {
      expect(await (await fetch(`${host.baseUrl}/api/ops/settings`)).text()).toBe('never served');
    } finally {
      await host.stop();
    }
  });
});

describe('start-up has no 404 window', () => {
  it('a client polling from the moment the port opens never sees 404 nor runs before appStart ends', async () => {
    const port = await freePort();
    const hostPromise = startHostProcess({ appRoot: slowApp, port });
    const seen: string[] = [];
    let host: Awaited<typeof hostPromise> | undefined;
    void hostPromise.then((h) => (host = h));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/ping`);
        const body = res.status === 200 ? ((await res.json()) as { ready: boolean }) : undefined;
        seen.push(`${res.status}${body ? ` ready=${body.ready}` : ''}`);
        if (body?.ready) break;
      } catch {
        // connection refused: the port is not open yet
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await hostPromise;
    await host?.stop();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => s === '200 ready=true')).toBe(true);
  });
});

describe('beyond loopback the host and the app fail closed', () => {
  const repoRoot = path.resolve(__dirname, '../..');

  it('the host refuses to listen beyond loopback without a master key', async () => {
    const child = spawn(process.execPath, [CLI, 'start', '--cwd', slowApp, '--port', '0', '--host', '0.0.0.0'], {
      env: { ...process.env, ENTRA_JML_HOST_MASTER_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(out).toContain('without ENTRA_JML_HOST_MASTER_KEY');
  });

  it('the webhook refuses every event (503, none accepted) with the development key on an exposed host', async () => {
    const host = await startHostProcess({
      appRoot: repoRoot,
      bindAddress: '0.0.0.0',
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-exposed-')),
      env: { ENTRA_JML_HOST_MASTER_KEY: 'm'.repeat(40), HR_EVENTS_QUEUE: 'hr-events', HR_WEBHOOK_SECRETS: '' },
    });
    try {
      const res = await fetch(`${host.baseUrl}/api/hr/events`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBeTruthy();
    } finally {
      await host.stop();
    }
  });
});

describe('/api/health reports readiness, not only liveness', () => {
  it('answers 503 naming Graph when Graph cannot be reached', async () => {
    const host = await startHostProcess({
      appRoot: path.resolve(__dirname, '../..'),
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-health-')),
      env: { HR_EVENTS_QUEUE: 'hr-events', GRAPH_BASE_URL: 'http://127.0.0.1:9' },
    });
    try {
      const res = await fetch(`${host.baseUrl}/api/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
      expect(body.checks.config?.ok).toBe(true);
      expect(body.checks.storage?.ok).toBe(true);
      expect(body.checks.queue?.ok).toBe(true);
      expect(body.checks.graph?.ok).toBe(false);
    } finally {
      await host.stop();
    }
  });
});
