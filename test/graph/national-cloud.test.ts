import { describe, expect, it } from 'vitest';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { cloudEndpoints } from '../../shared/adapters/graph/cloud';
import { GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';

/** Issue 13 item 9: references and authorities follow the configured cloud, never a hard-coded global host. */
describe('national clouds', () => {
  it('derives the Graph root, the authority and the v1 issuer host from the settings', () => {
    expect(cloudEndpoints(parseConfig({}))).toEqual({
      graphRoot: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      v1IssuerHost: 'https://sts.windows.net',
    });
    expect(
      cloudEndpoints(
        parseConfig({
          GRAPH_BASE_URL: 'https://microsoftgraph.chinacloudapi.cn/',
          AZURE_AUTHORITY_HOST: 'https://login.partner.microsoftonline.cn',
        }),
      ),
    ).toEqual({
      graphRoot: 'https://microsoftgraph.chinacloudapi.cn',
      authorityHost: 'https://login.partner.microsoftonline.cn',
      v1IssuerHost: 'https://sts.chinacloudapi.cn',
    });
  });

  it('@odata.id references name objects on the Graph endpoint in use (US Government)', async () => {
    const auth: AuthenticationProvider = { getAccessToken: () => Promise.resolve('t') };
    const directory = new GraphDirectory(auth, 'https://graph.microsoft.us', 1);
    const sent: unknown[] = [];
    // Captures the $batch items instead of calling Graph.
    (directory as unknown as { batch: (items: unknown[]) => Promise<Map<string, unknown>> }).batch = (items) => {
      sent.push(...items);
      return Promise.resolve(
        new Map(items.map((item) => [(item as { id: string }).id, { status: 204, body: null, headers: {} }])),
      );
    };
    await directory.applyRelations('u1', { managerId: 'm1', addGroupIds: ['g1'] });
    const refs = JSON.stringify(sent);
    expect(refs).toContain('https://graph.microsoft.us/v1.0/users/m1');
    expect(refs).toContain('https://graph.microsoft.us/v1.0/directoryObjects/u1');
    expect(refs).not.toContain('graph.microsoft.com');
  });
});
