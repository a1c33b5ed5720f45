import { originAllowed, restCorsOptions } from './cors-policy';

describe('cors-policy', () => {
  it('should allow a handshake without Origin (non-browser clients) and from the same host', () => {
    expect(originAllowed(undefined, 'fx.example:3000', [])).toBe(true);
    expect(originAllowed('http://fx.example:3000', 'fx.example:3000', [])).toBe(true);
    expect(originAllowed('http://FX.example:3000', 'fx.example:3000', [])).toBe(true);
  });

  it('should refuse a foreign origin unless listed, and accept anything with *', () => {
    expect(originAllowed('https://evil.example', 'fx.example:3000', [])).toBe(false);
    expect(originAllowed('https://evil.example', undefined, ['https://app.example'])).toBe(false);
    expect(originAllowed('https://app.example', 'fx.example', ['https://app.example'])).toBe(true);
    expect(originAllowed('https://evil.example', 'fx.example', ['*'])).toBe(true);
    expect(originAllowed('not a url', 'fx.example', [])).toBe(false);
  });

  it('should send no CORS headers by default and never allow credentials', () => {
    expect(restCorsOptions([])).toMatchObject({ origin: false, credentials: false });
    expect(restCorsOptions(['*'])).toMatchObject({ origin: '*', credentials: false });
    expect(restCorsOptions(['https://a.example'])).toMatchObject({
      origin: ['https://a.example'],
      credentials: false,
    });
    expect(restCorsOptions([]).exposedHeaders).toContain('Retry-After');
  });
});
