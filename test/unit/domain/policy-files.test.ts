import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exceedsDeletionThreshold, loadPolicy, parsePolicy, PolicyError } from '../../../shared/domain/policy';
import { minimalPolicy } from './policy-json';

/**
 * The committed policy files load, and how a policy is read (YAML or JSON, by declaration or by file extension).
 * Loads the files itself rather than through fixtures.ts (policy-json.ts says why).
 */

describe('committed policy files', () => {
  it('the demo policy loads with its licence report and activation settings', () => {
    const policy = loadPolicy('policy/policy.yaml');
    expect(policy.version).toBe('2026.11-1');
    expect(policy.tenant.upnDomain).toBe('contoso.com');
    expect(policy.birthright.rules.length).toBeGreaterThan(0);
    expect(policy.licences?.idleDays).toBe(60);
    expect(policy.licences?.costs.length).toBeGreaterThan(0);
  });

  it.each(['policy/examples/small-org.yaml', 'policy/examples/large-org.yaml'])('%s loads', (path) => {
    expect(loadPolicy(path).version).toMatch(/\S/);
  });

  it('the large example sets SCIM targets, retired groups and activation', () => {
    const policy = loadPolicy('policy/examples/large-org.yaml');
    expect(policy.scimTargets.length).toBeGreaterThan(0);
    expect(policy.retiredGroups.length).toBeGreaterThan(0);
    expect(policy.prehireDays).toBe(14);
  });
});

describe('reading a policy', () => {
  const json = JSON.stringify(minimalPolicy());

  it('reads YAML unless told otherwise, and JSON when declared', () => {
    expect(parsePolicy('version: "7"\ntenant: { upnDomain: contoso.com }\nupn: { pattern: "{given}" }\n').version).toBe(
      '7',
    );
    expect(parsePolicy(json, 'json').version).toBe('1');
  });

  it('declared JSON is parsed as JSON: YAML text is refused, a repeated key is JSON.parse semantics', () => {
    expect(() => parsePolicy('version: "1"\n', 'json')).toThrow(/\(root\): not valid JSON: /);
    expect(parsePolicy(json.replace('"version":"1"', '"version":"1","version":"2"'), 'json').version).toBe('2');
  });

  it('names its source in the error: "policy" by default', () => {
    expect(() => parsePolicy('version: ""\n')).toThrow(/^Invalid policy:\n {2}version: /);
    expect(() => parsePolicy('version: ""\n', 'yaml', 'tenant policy')).toThrow(/^Invalid tenant policy:\n/);
    try {
      parsePolicy('a: [\n');
      expect.unreachable();
    } catch (error) {
      expect((error as PolicyError).problems[0]?.path).toMatch(/^\(line \d+, column \d+\)$/);
    }
  });

  it('a PolicyError built without a source calls it "policy"', () => {
    const error = new PolicyError([{ path: 'version', reason: 'missing' }]);
    expect([error.name, error.message]).toEqual(['PolicyError', 'Invalid policy:\n  version: missing']);
  });

  it('loadPolicy reads .json and .JSON files as JSON, anything else as YAML, and names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-files-'));
    // A repeated key: JSON.parse keeps the last, YAML refuses it, so the result shows which parser read the file.
    const repeated = json.replace('"version":"1"', '"version":"1","version":"2"');
    for (const name of ['p.json', 'p.JSON']) {
      writeFileSync(join(dir, name), repeated);
      expect(loadPolicy(join(dir, name)).version).toBe('2');
    }
    writeFileSync(join(dir, 'p.yml'), repeated);
    expect(() => loadPolicy(join(dir, 'p.yml'))).toThrow(/^Invalid policy file .*p\.yml:\n.*Map keys must be unique/);
    writeFileSync(join(dir, 'q.yaml'), 'version: "3"\ntenant: { upnDomain: contoso.com }\nupn: { pattern: "{given}" }');
    expect(loadPolicy(join(dir, 'q.yaml')).version).toBe('3');
  });
});

describe('exceedsDeletionThreshold in a tenant with no accounts', () => {
  it('only maxPerHour applies when the tenant has no accounts, even with the percentage rule from 0', () => {
    const policy = parsePolicy(
      JSON.stringify({ ...minimalPolicy(), deletionThreshold: { maxPerHour: 5, percentAppliesFrom: 0 } }),
      'json',
    );
    expect(exceedsDeletionThreshold({ pending: 1, totalAccounts: 0 }, policy)).toBe(false);
    expect(exceedsDeletionThreshold({ pending: 6, totalAccounts: 0 }, policy)).toBe(true);
    expect(exceedsDeletionThreshold({ pending: 1, totalAccounts: 5 }, policy)).toBe(true);
  });
});
