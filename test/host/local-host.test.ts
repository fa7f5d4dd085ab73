import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../support/host-process';

const sampleApp = path.resolve(__dirname, '../fixtures/sample-app');
const esmApp = path.resolve(__dirname, '../fixtures/sample-esm-app');
const repoRoot = path.resolve(__dirname, '../..');

describe('local host running a foreign v4 app (sample-app)', () => {
  let host: HostProcess;
  beforeAll(async () => {
    host = await startHostProcess({
      appRoot: sampleApp,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-host-')),
      env: {
        ENTRA_JML_HOST_FUNCTION_KEYS: 'fkey',
        ENTRA_JML_HOST_MASTER_KEY: 'mkey',
        ENTRA_JML_HOST_MAX_REQUEST_BYTES: '1024',
      },
    });
  });
  afterAll(async () => host?.stop());

  it('lists every function in the banner', () => {
    for (const name of ['httpTrigger1', 'products', 'echoJson', 'timerTrigger1', 'hooked'])
      expect(host.output()).toContain(name);
  });

  it('serves query and body input', async () => {
    expect(await (await fetch(`${host.baseUrl}/api/httpTrigger1?name=Ada`)).text()).toBe('Hello, Ada!');
    const posted = await fetch(`${host.baseUrl}/api/httpTrigger1`, { method: 'POST', body: 'Grace' });
    expect(await posted.text()).toBe('Hello, Grace!');
  });

  it('matches route parameters and constraints', async () => {
    expect(await (await fetch(`${host.baseUrl}/api/products/books/42`)).json()).toEqual({
      category: 'books',
      id: '42',
    });
    expect(await (await fetch(`${host.baseUrl}/api/products/books`)).json()).toEqual({ category: 'books', id: null });
    expect((await fetch(`${host.baseUrl}/api/products/books/not-an-int`)).status).toBe(404);
    expect((await fetch(`${host.baseUrl}/api/products/123/4`)).status).toBe(404);
    expect(await (await fetch(`${host.baseUrl}/api/files/a/b/c.txt`)).json()).toEqual({ path: 'a/b/c.txt' });
  });

  it('answers 404 for unknown routes and 405 for wrong methods', async () => {
    expect((await fetch(`${host.baseUrl}/api/nothing-here`)).status).toBe(404);
    const wrong = await fetch(`${host.baseUrl}/api/products/books/1`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('round-trips JSON bodies, status, headers and cookies', async () => {
    const res = await fetch(`${host.baseUrl}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: [1, 'é'] }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-sample')).toBe('yes');
    expect(res.headers.get('set-cookie')).toMatch(/^session=abc; Path=\/; HttpOnly/);
    expect(await res.json()).toEqual({ received: { a: [1, 'é'] }, contentType: 'application/json' });
  });

  it('enforces function and admin keys', async () => {
    expect((await fetch(`${host.baseUrl}/api/secret`)).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/secret?code=wrong`)).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/secret?code=fkey`)).status).toBe(200);
    expect((await fetch(`${host.baseUrl}/api/secret`, { headers: { 'x-functions-key': 'mkey' } })).status).toBe(200);
    expect((await fetch(`${host.baseUrl}/api/management/status?code=fkey`)).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/management/status?code=mkey`)).status).toBe(200);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const res = await fetch(`${host.baseUrl}/api/echo`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
  });

  it('answers 500 when a handler throws', async () => {
    expect((await fetch(`${host.baseUrl}/api/fail`)).status).toBe(500);
  });

  it('runs pre and post invocation hooks around the handler', async () => {
    await fetch(`${host.baseUrl}/api/hooked`);
    const body = (await (await fetch(`${host.baseUrl}/api/hooked`)).json()) as { seen: { pre: string }[] };
    expect(body.seen[0]).toEqual({ pre: 'pre', hadError: false });
  });

  it('runs the timer on startup and on schedule with the documented timer object', async () => {
    let ticks: { isPastDue: boolean; hasStatus: boolean }[] = [];
    for (let i = 0; i < 50 && ticks.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      ticks = (await (await fetch(`${host.baseUrl}/api/ticks`)).json()) as typeof ticks;
    }
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks[0]).toMatchObject({ isPastDue: false, hasStatus: true });
  });
});

describe('local host lifecycle', () => {
  it('lets an in-flight request finish after SIGTERM, then exits 0', async () => {
    const host = await startHostProcess({ appRoot: sampleApp, dataDir: mkdtempSync(path.join(tmpdir(), 'jml-host-')) });
    const pending = fetch(`${host.baseUrl}/api/slow?ms=800`).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 200));
    const code = host.stop('SIGTERM');
    expect(await pending).toBe('finally');
    expect(await code).toBe(0);
  });

  it('loads an ESM app', async () => {
    const host = await startHostProcess({ appRoot: esmApp, dataDir: mkdtempSync(path.join(tmpdir(), 'jml-host-')) });
    try {
      expect(await (await fetch(`${host.baseUrl}/api/hello`)).json()).toEqual({ module: 'esm' });
    } finally {
      await host.stop();
    }
  });

  it('serves our own health function', async () => {
    // A fresh clone has no local.settings.json (npm start creates it): give the one setting the triggers need.
    const host = await startHostProcess({
      appRoot: repoRoot,
      dataDir: mkdtempSync(path.join(tmpdir(), 'jml-host-')),
      env: { HR_EVENTS_QUEUE: 'hr-events' },
    });
    try {
      const res = await fetch(`${host.baseUrl}/api/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ name: 'entra-jml', status: 'ok' });
    } finally {
      await host.stop();
    }
  });
});
