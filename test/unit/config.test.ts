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
