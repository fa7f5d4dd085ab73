import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type TokenCredential,
} from '@azure/identity';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import * as azureTokenCredentials from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { cloudEndpoints } from './cloud';

export const EMULATOR_TENANT_ID = '11111111-1111-4111-8111-111111111111';
const EMULATOR_CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const EMULATOR_CLIENT_SECRET = 'local-dev-secret';

/** A tenant is configured when a tenant id and some credential are present. */
export function isTenantMode(config: Config): boolean {
  return (
    !!config.AZURE_TENANT_ID &&
    (config.GRAPH_USE_MANAGED_IDENTITY || !!config.AZURE_CLIENT_SECRET || !!config.AZURE_CLIENT_CERTIFICATE_PATH)
  );
}

export function localOrigin(config: Config): string {
  if (!config.WEBSITE_HOSTNAME)
    throw new Error(
      'WEBSITE_HOSTNAME is not set: run the app on the local host (npm start) ' +
        'or configure a tenant (AZURE_TENANT_ID + credentials)',
    );
  return `http://${config.WEBSITE_HOSTNAME.replace(/^0\.0\.0\.0/, 'localhost')}`;
}

function tenantCredential(config: Config): TokenCredential {
  if (config.GRAPH_USE_MANAGED_IDENTITY) {
    return config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new ManagedIdentityCredential();
  }
  if (!config.AZURE_CLIENT_ID) throw new Error('AZURE_CLIENT_ID: required with a client secret or certificate');
  const options = { authorityHost: cloudEndpoints(config).authorityHost };
  if (config.AZURE_CLIENT_CERTIFICATE_PATH)
    return new ClientCertificateCredential(
      config.AZURE_TENANT_ID!,
      config.AZURE_CLIENT_ID,
      config.AZURE_CLIENT_CERTIFICATE_PATH,
      options,
    );
  return new ClientSecretCredential(
    config.AZURE_TENANT_ID!,
    config.AZURE_CLIENT_ID,
    config.AZURE_CLIENT_SECRET!,
    options,
  );
}

const TokenResponse = z.object({ access_token: z.string(), expires_in: z.number() });

/**
 * Client-credentials against the local emulator's token endpoint. MSAL (inside @azure/identity)
 * insists on https authorities, so the emulator gets this small provider instead.
 */
class EmulatorAuthProvider implements AuthenticationProvider {
  private cached: { token: string; expiresAt: number } | undefined;
  constructor(private readonly origin: string) {}

  async getAccessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt > Date.now() + 60_000) return this.cached.token;
    const response = await fetch(`${this.origin}/_local/entra/${EMULATOR_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: EMULATOR_CLIENT_ID,
        client_secret: EMULATOR_CLIENT_SECRET,
        scope: 'https://graph.microsoft.com/.default',
      }),
    });
    if (!response.ok) throw new Error(`local token endpoint answered ${response.status}`);
    const body = TokenResponse.parse(await response.json());
    this.cached = { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return body.access_token;
  }
}

export function graphAuthProvider(config: Config, emulatorOrigin: string): AuthenticationProvider {
  if (isTenantMode(config)) {
    return new azureTokenCredentials.TokenCredentialAuthenticationProvider(tenantCredential(config), {
      scopes: [`${cloudEndpoints(config).graphRoot}/.default`],
    });
  }
  return new EmulatorAuthProvider(emulatorOrigin);
}
