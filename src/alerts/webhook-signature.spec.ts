import { createHmac } from 'node:crypto';
import { newWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './webhook-signature';

describe('webhook signature', () => {
  it('should sign id.timestamp.body with the base64-decoded secret (Standard Webhooks)', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"type":"alert.triggered"}';
    const expected = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'))
      .update(`msg_1.1700000000.${body}`)
      .digest('base64');
    expect(signWebhook(secret, 'msg_1', 1700000000, body)).toBe(`v1,${expected}`);
  });

  it('should verify its own headers and refuse a changed body or an old timestamp', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const now = Date.UTC(2026, 10, 25);
    const h = webhookHeaders(secret, 'evt', '{"a":1}', now);
    const given = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(verifyWebhook(secret, given, '{"a":1}', now)).toBe(true);
    expect(verifyWebhook(secret, given, '{"a":2}', now)).toBe(false);
    expect(verifyWebhook(secret, given, '{"a":1}', now + 600_000)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), given, '{"a":1}', now)).toBe(false);
  });
});
