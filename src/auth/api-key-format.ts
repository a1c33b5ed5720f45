import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Scopes a key can carry. `admin` implies `read`. */
export const API_KEY_SCOPES = ['read', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_LENGTH = 32;
/** Bytes >= 248 (= 4 x 62) are dropped, so `byte % 62` is uniform (no modulo bias). */
const UNBIASED_LIMIT = 248;
export const KEY_PREFIX = 'fxp_';
export const DISPLAY_PREFIX_LENGTH = 8;
export const API_KEY_PATTERN = /^fxp_[A-Za-z0-9]{32}$/;

/** `fxp_` + 32 base62 characters from the CSPRNG (~190 bits), by rejection sampling. */
export function generateApiKey(random: (size: number) => Buffer = randomBytes): string {
  let out = '';
  while (out.length < RANDOM_LENGTH) {
    for (const byte of random(48)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === RANDOM_LENGTH) break;
    }
  }
  return KEY_PREFIX + out;
}

/** SHA-256 hex: the only form of a key that is stored. A fast hash is enough for 190 random bits. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The 8 characters after `fxp_`: shown in lists and logs, used to revoke; never enough to use the key. */
export function displayPrefix(key: string): string {
  return key.slice(KEY_PREFIX.length, KEY_PREFIX.length + DISPLAY_PREFIX_LENGTH);
}

/** How a key is shown anywhere after creation: `fxp_AbCd1234…`. */
export function maskedKey(prefix: string): string {
  return `${KEY_PREFIX}${prefix}…`;
}

/** Accepts `AbCd1234` or `fxp_AbCd1234` (what `keys:list` shows) and returns the bare prefix. */
export function normalisePrefix(input: string): string {
  const bare = input.trim().replace(/…$/, '');
  return bare.startsWith(KEY_PREFIX) ? bare.slice(KEY_PREFIX.length) : bare;
}

/** Constant-time equality of two hex digests (different lengths are simply unequal). */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Constant-time comparison of any two secrets: compares their SHA-256 digests, so lengths do not leak. */
export function secretsEqual(given: string, expected: string): boolean {
  return digestsEqual(hashApiKey(given), hashApiKey(expected));
}

/** `admin` covers everything `read` does. */
export function hasScope(scopes: readonly string[], needed: ApiKeyScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

/** Scopes stored for a key created with `--scope <scope>`. */
export function scopesFor(scope: ApiKeyScope): ApiKeyScope[] {
  return scope === 'admin' ? ['read', 'admin'] : ['read'];
}
