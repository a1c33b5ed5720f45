/**
 * The API key of this browser tab. A key arrives once in the URL fragment
 * (`/#key=fxp_...`, printed at first boot), is moved to storage and removed
 * from the address bar at once, so it never stays in history or bookmarks.
 * sessionStorage by default; localStorage only when the user asks to be remembered.
 */
const STORAGE_NAME = 'fxp.key';

export interface FragmentKey {
  key: string | null;
  /** The fragment without the key (other parameters kept), '' when nothing is left. */
  rest: string;
}

/** Splits `#key=...&x=y` into the key and what remains. Pure, for tests. */
export function parseFragment(hash: string): FragmentKey {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = params.get('key');
  params.delete('key');
  const key = raw?.trim() ? raw.trim() : null;
  return { key, rest: params.toString() };
}

/** Reads a key from the fragment and strips it from the URL (history.replaceState). */
export function takeKeyFromUrl(): string | null {
  const { key, rest } = parseFragment(window.location.hash);
  if (!window.location.hash.includes('key=')) return null;
  const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(window.history.state, '', url);
  return key;
}

function safeGet(storage: Storage): string | null {
  try {
    return storage.getItem(STORAGE_NAME);
  } catch {
    return null;
  }
}

export function loadKey(): string | null {
  return safeGet(sessionStorage) ?? safeGet(localStorage);
}

export function isRemembered(): boolean {
  return safeGet(localStorage) !== null;
}

export function saveKey(key: string, remember: boolean): void {
  try {
    sessionStorage.setItem(STORAGE_NAME, key);
    if (remember) localStorage.setItem(STORAGE_NAME, key);
    else localStorage.removeItem(STORAGE_NAME);
  } catch {
    // Storage disabled (private mode): the key lives in memory for this page only.
  }
}

export function clearKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_NAME);
    localStorage.removeItem(STORAGE_NAME);
  } catch {
    // nothing stored
  }
}
