import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../local/host/http/route-template';

describe('route templates', () => {
  it('extracts parameters, optional and catch-all segments', () => {
    expect(compileRoute('users/{id}').match('/users/42')).toEqual({ id: '42' });
    expect(compileRoute('users/{id?}').match('/users')).toEqual({});
    expect(compileRoute('files/{*rest}').match('/files/a/b')).toEqual({ rest: 'a/b' });
    expect(compileRoute('Users/{id}').match('/users/1')).toEqual({ id: '1' });
  });

  it('applies constraints', () => {
    const guid = compileRoute('items/{id:guid}');
    expect(guid.match('/items/0f8fad5b-d9cb-469f-a165-70867728950e')).not.toBeNull();
    expect(guid.match('/items/nope')).toBeNull();
    expect(compileRoute('n/{n:range(1,5)}').match('/n/6')).toBeNull();
    expect(compileRoute('n/{n:min(2):max(3)}').match('/n/3')).toEqual({ n: '3' });
    expect(compileRoute('s/{s:length(2,3)}').match('/s/abcd')).toBeNull();
    expect(compileRoute('r/{code:regex(^[A-Z]{{2}}$)}').match('/r/FR')).toEqual({ code: 'FR' });
  });

  it('rejects unknown constraints at start-up', () => {
    expect(() => compileRoute('x/{id:wat}')).toThrow(/unsupported route constraint/);
  });
});
