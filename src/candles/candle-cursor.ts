/**
 * Opaque pagination cursor: base64url of "v1:<epoch ms of the last candle
 * returned>". Pages are keyset-based (time > cursor), so inserts between
 * requests never shift or duplicate rows the way OFFSET would.
 */
const PREFIX = 'v1:';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Candles before 1970 or after 2200 only come from forged cursors.
const MAX_MS = Date.UTC(2200, 0, 1);

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is invalid: pass the next_cursor value of a previous response unchanged');
    this.name = 'InvalidCursorError';
  }
}

export function encodeCursor(lastTime: Date): string {
  return Buffer.from(`${PREFIX}${lastTime.getTime()}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Date {
  if (!BASE64URL.test(cursor) || cursor.length > 64) throw new InvalidCursorError();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^v1:(\d{1,16})$/.exec(text);
  if (!match) throw new InvalidCursorError();
  const ms = Number(match[1]);
  if (!Number.isSafeInteger(ms) || ms > MAX_MS) throw new InvalidCursorError();
  return new Date(ms);
}
