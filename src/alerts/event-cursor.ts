/** Opaque keyset cursor of the alert history: base64url of "v1:<triggered_at ms>:<event id>". */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeEventCursor(at: Date, id: string): string {
  return Buffer.from(`v1:${at.getTime()}:${id}`, 'utf8').toString('base64url');
}

/** The position, or null when the cursor was not made by encodeEventCursor. */
export function decodeEventCursor(cursor: string): { at: Date; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = /^v1:(\d{1,16}):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !UUID.test(match[2])) return null;
  const ms = Number(match[1]);
  return Number.isSafeInteger(ms) ? { at: new Date(ms), id: match[2] } : null;
}
