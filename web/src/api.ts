/**
 * REST client: JSON in and out, the API key as a Bearer header (never in a
 * URL), and one place that notices a 401 so the page can ask for a key.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The parsed error body, when there was one. */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number | boolean | undefined | null>;

let apiKey: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setApiKey(key: string | null): void {
  apiKey = key;
}

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function buildUrl(path: string, params: Params = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, url: string, body?: unknown, signal?: AbortSignal) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'the service cannot be reached');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null; // not JSON (a proxy's HTML error page): the status says enough
  }
  if (!response.ok) {
    if (response.status === 401) onUnauthorized?.();
    const message =
      json && typeof json === 'object' && 'message' in json
        ? String(json.message)
        : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, json);
  }
  return json as T;
}

export function getJson<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', buildUrl(path, params), undefined, signal);
}

export function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>('POST', path, body);
}

export function patchJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>('PATCH', path, body);
}

export function deleteJson<T>(path: string): Promise<T> {
  return request<T>('DELETE', path);
}
