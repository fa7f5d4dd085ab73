import { describe, expect, it } from 'vitest';
import { compileScimMapping, desiredAttributes } from '../../../shared/domain/scim-mapping';

/** How a boolean SCIM attribute's text becomes a value (mutation testing, issue 15). */
describe('boolean attributes', () => {
  it('"true" and "false" in any case are booleans; other text, even ending in "false", stays text', () => {
    const mapping = compileScimMapping({ flag: 'value' }, new Set(['flag']));
    const flag = (value: string) => desiredAttributes(mapping, { value }).find((d) => d.path.text === 'flag')!.value;
    expect([flag('TRUE'), flag('False'), flag('notfalse'), flag('true!')]).toEqual([true, false, 'notfalse', 'true!']);
  });
});
