import { createHash } from 'node:crypto';
import {
  API_KEY_PATTERN,
  digestsEqual,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  hasScope,
  maskedKey,
  normalisePrefix,
  scopesFor,
  secretsEqual,
} from './api-key-format';

describe('api-key-format', () => {
  it('should generate fxp_ + 32 base62 characters, different every time', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    for (const key of keys) expect(key).toMatch(API_KEY_PATTERN);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('should drop bytes >= 248 so every character is equally likely (no modulo bias)', () => {
    // 255 and 248 are rejected; 0 -> 'A', 61 -> '9', 62 -> 'A' again, 247 -> '9'.
    const bytes = [255, 248, 0, 61, 62, 247];
    let call = 0;
    const random = (size: number): Buffer =>
      Buffer.from(Array.from({ length: size }, () => bytes[call++ % bytes.length]));
    const key = generateApiKey(random);
    expect(key.slice(4, 8)).toBe('A9A9');
    expect(key).toMatch(API_KEY_PATTERN);
    expect(key).not.toContain('undefined');
  });

  it('should hash with SHA-256 hex and show only the 8 characters after fxp_', () => {
    const key = 'fxp_AbCd1234efGH5678ijKL9012mnOP3456';
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(displayPrefix(key)).toBe('AbCd1234');
    expect(maskedKey('AbCd1234')).toBe('fxp_AbCd1234…');
    expect(normalisePrefix('fxp_AbCd1234…')).toBe('AbCd1234');
    expect(normalisePrefix(' AbCd1234 ')).toBe('AbCd1234');
  });

  it('should compare digests and secrets in constant time, unequal lengths being unequal', () => {
    const a = hashApiKey('one');
    expect(digestsEqual(a, hashApiKey('one'))).toBe(true);
    expect(digestsEqual(a, hashApiKey('two'))).toBe(false);
    expect(digestsEqual(a, a.slice(0, 10))).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
    expect(secretsEqual('token', 'token')).toBe(true);
    expect(secretsEqual('token', 'token-longer')).toBe(false);
  });

  it('should let admin cover read and read cover only read', () => {
    expect(scopesFor('admin')).toEqual(['read', 'admin']);
    expect(scopesFor('read')).toEqual(['read']);
    expect(hasScope(['read'], 'read')).toBe(true);
    expect(hasScope(['read'], 'admin')).toBe(false);
    expect(hasScope(['admin'], 'read')).toBe(true);
  });
});
