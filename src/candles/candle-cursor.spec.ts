import { decodeCursor, encodeCursor, InvalidCursorError } from './candle-cursor';

describe('candle cursor', () => {
  it('should round-trip a candle time', () => {
    const t = new Date('2026-03-04T10:00:00Z');
    const cursor = encodeCursor(t);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor).toISOString()).toBe(t.toISOString());
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['base64url of something else', Buffer.from('hello').toString('base64url')],
    ['a negative time', Buffer.from('v1:-5').toString('base64url')],
    ['a time beyond 2200', Buffer.from(`v1:${Date.UTC(2300, 0, 1)}`).toString('base64url')],
    ['too long', 'A'.repeat(100)],
  ])('should reject a cursor that is %s', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursor)).toThrow(/^cursor is invalid/);
  });
});
