import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../shared/config/config';

describe('config', () => {
  it('applies defaults when nothing is set', () => {
    const config = parseConfig({});
    expect(config.ENTRA_JML_DATA_DIR).toBe('.data');
    expect(config.ENTRA_JML_LOG_LEVEL).toBe('info');
  });

  it('names the bad setting and what is expected', () => {
    expect(() => parseConfig({ ENTRA_JML_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      parseConfig({ ENTRA_JML_LOG_LEVEL: 'loud', ENTRA_JML_PUBLIC_URL: 'not a url' });
    } catch (error) {
      const problems = (error as ConfigError).problems.map((p) => p.setting);
      expect(problems).toContain('ENTRA_JML_LOG_LEVEL');
      expect(problems).toContain('ENTRA_JML_PUBLIC_URL');
    }
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ ENTRA_JML_PUBLIC_URL: '' }).ENTRA_JML_PUBLIC_URL).toBeUndefined();
  });
});

describe('config checked across settings', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      parseConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('a tenant id without a credential is an error, not silent emulator mode', () => {
    expect(problemsOf({ AZURE_TENANT_ID: 't' })).toEqual([
      expect.objectContaining({ setting: 'AZURE_TENANT_ID', expected: expect.stringContaining('needs a credential') }),
    ]);
    expect(problemsOf({ AZURE_TENANT_ID: 't', GRAPH_USE_MANAGED_IDENTITY: 'true' })).toEqual([]);
  });

  it('a credential without a tenant id, or a secret without a client id, names the missing setting', () => {
    expect(problemsOf({ AZURE_CLIENT_ID: 'c', AZURE_CLIENT_SECRET: 's' }).map((p) => p.setting)).toEqual([
      'AZURE_TENANT_ID',
    ]);
    expect(problemsOf({ AZURE_TENANT_ID: 't', AZURE_CLIENT_SECRET: 's' }).map((p) => p.setting)).toEqual([
      'AZURE_CLIENT_ID',
    ]);
  });

  it('an unparsable number names the setting', () => {
    expect(problemsOf({ GRAPH_MAX_CONCURRENCY: 'eight' }).map((p) => p.setting)).toEqual(['GRAPH_MAX_CONCURRENCY']);
  });

  it('an unresolved Key Vault reference is refused wherever it appears', () => {
    const ref = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/hr/)';
    expect(problemsOf({ HR_WEBHOOK_SECRETS: ref }).map((p) => p.setting)).toEqual(['HR_WEBHOOK_SECRETS']);
    expect(problemsOf({ AZURE_CLIENT_SECRET: ref }).map((p) => p.setting)).toContain('AZURE_CLIENT_SECRET');
  });
});
