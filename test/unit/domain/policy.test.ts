import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../../shared/domain/policy';

describe('policy', () => {
  it('loads the default policy', () => {
    const policy = loadPolicy('policy/policy.yaml');
    expect(policy.version).toBe('2026.11-1');
  });
});
