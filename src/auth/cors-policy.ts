/** Headers a browser page may read from our responses (the rate-limit ones). */
export const EXPOSED_HEADERS = [
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Retry-After',
];

export interface RestCorsOptions {
  origin: boolean | string | string[];
  credentials: false;
  exposedHeaders: string[];
  allowedHeaders: string[];
}

/**
 * CORS for REST from CORS_ORIGINS. Same-origin pages need no CORS, so the
 * empty default sends no CORS headers at all. Keys travel in headers, never
 * cookies, so credentials are never allowed (which is what makes `*` safe).
 */
export function restCorsOptions(allowList: readonly string[]): RestCorsOptions {
  const common = {
    credentials: false as const,
    exposedHeaders: EXPOSED_HEADERS,
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type'],
  };
  if (allowList.includes('*')) return { origin: '*', ...common };
  return { origin: allowList.length ? [...allowList] : false, ...common };
}

/**
 * Whether a handshake's Origin may connect: no Origin (a non-browser client),
 * the page's own origin (same host as the request), an allowed origin, or `*`.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowList: readonly string[],
): boolean {
  if (!origin) return true;
  if (allowList.includes('*') || allowList.includes(origin)) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
