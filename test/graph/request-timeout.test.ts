import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HTTPMessageHandler, MiddlewareFactory, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import {
  DEFAULT_GRAPH_REQUEST_TIMEOUT_MS,
  GraphTimeoutError,
  RequestTimeoutHandler,
  withRequestTimeout,
} from '../../shared/adapters/graph/request-timeout';
import { parseConfig } from '../../shared/config/config';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';

/**
 * Issue 24: the Graph client had no timeout, so a connection Graph accepted and never answered held the step (and
 * the person) forever. Each attempt now has a deadline; the step fails like a transient error and is retried.
 */
describe('Graph request timeout', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;

  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-timeout-')) });
    const res = await fetch(`${server.baseUrl}/_local/entra/_admin/token`, {
      method: 'POST',
      body: JSON.stringify({ aud: 'https://graph.microsoft.com', roles: ['User.ReadWrite.All'] }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const auth: AuthenticationProvider = { getAccessToken: () => Promise.resolve(token) };
    directory = new GraphDirectory(auth, `${server.baseUrl}/_local/graph`, 4, 0, 1000);
  });
  afterAll(async () => server?.close());
  beforeEach(() => Object.assign(server.emulator.api.faults, { hangNext: 0, hangApplied: false, hangMs: 60_000 }));

  it('gives up on a request that is never answered, and the next request goes through', async () => {
    server.emulator.api.faults.hangNext = 1;
    const error: unknown = await directory.findUserByEmployeeId('E-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphTimeoutError);
    expect((error as GraphTimeoutError).message).toMatch(/no answer within 1000 ms/);
    expect(await directory.findUserByEmployeeId('E-1')).toBeNull();
  });

  it('an answer lost after the write: the caller sees the timeout, the directory the write', async () => {
    Object.assign(server.emulator.api.faults, { hangNext: 1, hangApplied: true });
    const user = {
      accountEnabled: false,
      displayName: 'Timeout Test',
      mailNickname: 'timeout.test',
      userPrincipalName: 'timeout.test@contoso.com',
      employeeId: 'E-2',
      passwordProfile: { password: 'Aa1!aaaaaaaaaaaaaaaa', forceChangePasswordNextSignIn: true },
    };
    await expect(directory.createUser(user as never)).rejects.toBeInstanceOf(GraphTimeoutError);
    expect((await directory.findUserByEmployeeId('E-2'))?.userPrincipalName).toBe('timeout.test@contoso.com');
  });

  it('is configurable through the validated config, 100 s by default as Microsoft SDKs', () => {
    expect(DEFAULT_GRAPH_REQUEST_TIMEOUT_MS).toBe(100_000);
    expect(parseConfig({}).GRAPH_REQUEST_TIMEOUT_MS).toBe(100_000);
    expect(parseConfig({ GRAPH_REQUEST_TIMEOUT_MS: '30000' }).GRAPH_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(() => parseConfig({ GRAPH_REQUEST_TIMEOUT_MS: '0' })).toThrow();
  });

  it('sits right before the HTTP handler in the tenant chain too (retry waits do not count against it)', () => {
    const auth: AuthenticationProvider = { getAccessToken: () => Promise.resolve('t') };
    const chain = withRequestTimeout(MiddlewareFactory.getDefaultMiddlewareChain(auth), 5000);
    expect(chain.at(-2)).toBeInstanceOf(RequestTimeoutHandler);
    expect(chain.at(-1)).toBeInstanceOf(HTTPMessageHandler);
  });
});
