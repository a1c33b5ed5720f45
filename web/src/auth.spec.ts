import { parseFragment } from './auth';

describe('parseFragment', () => {
  it('takes the key and keeps the other fragment parameters', () => {
    expect(parseFragment('#key=fxp_abc&panel=chart')).toEqual({
      key: 'fxp_abc',
      rest: 'panel=chart',
    });
    expect(parseFragment('#key=fxp_abc')).toEqual({ key: 'fxp_abc', rest: '' });
  });

  it('treats a missing or blank key as none', () => {
    expect(parseFragment('')).toEqual({ key: null, rest: '' });
    expect(parseFragment('#key=')).toEqual({ key: null, rest: '' });
    expect(parseFragment('#chart')).toEqual({ key: null, rest: 'chart=' });
  });
});
