import { expect } from 'vitest';
import { parsePolicy, PolicyError } from '../../../shared/domain/policy';

/**
 * Policies built as objects for the schema tests. No fixtures.ts import: it loads the demo policy, and a mutant that
 * breaks that load would fail the importing test file before any test ran, which StrykerJS does not count as a kill.
 */

export type Json = Record<string, unknown>;

export const GUID = 'a0000000-0000-4000-8000-000000000001';

export const minimalPolicy = (): Json => ({
  version: '1',
  tenant: { upnDomain: 'contoso.com' },
  upn: { pattern: '{given}.{family}' },
});

/** A policy whose one field at `path` (dots; numbers index arrays) is `value`, parents created as needed. */
export function policyWith(path: string, value: unknown, extra: Json = {}): Json {
  const policy: Json = { ...minimalPolicy(), ...structuredClone(extra) };
  const keys = path.split('.');
  let node = policy;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1]!) ? [] : {};
    node = node[key] as Json;
  });
  node[keys.at(-1)!] = value;
  return policy;
}

/** The smallest valid policy, as YAML. */
export const minimalYaml = `
version: "1"
tenant: { upnDomain: contoso.com }
upn: { pattern: "{given}.{family}" }
`;

/** Every problem of the policy text as `path: reason`; none when it is valid. */
export function problemsIn(text: string, format: 'yaml' | 'json' = 'yaml'): string[] {
  try {
    parsePolicy(text, format);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as PolicyError).problems.map((p) => `${p.path}: ${p.reason}`);
  }
}

/** Every problem of the policy as `path: reason`; none when it is valid. */
export function problemsOf(policy: Json): string[] {
  return problemsIn(JSON.stringify(policy), 'json');
}

/** The problems of a policy text that must be refused (a valid one fails the test). */
export function refusalOf(text: string, format: 'yaml' | 'json' = 'yaml'): string[] {
  const problems = problemsIn(text, format);
  if (!problems.length) throw new Error('expected the policy to be rejected');
  return problems;
}
