import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/mail/delivery-worker.js';
import { mailTemplates, renderMessage } from '../../src/mail/templates.js';

describe('mail retry backoff', () => {
  it('doubles from about five seconds', () => {
    const middle = () => 0.5;
    expect(retryDelayMs(1, middle)).toBe(5_000);
    expect(retryDelayMs(2, middle)).toBe(10_000);
    expect(retryDelayMs(5, middle)).toBe(80_000);
  });

  it('never waits more than about an hour, however long the outage', () => {
    expect(retryDelayMs(40, () => 1)).toBeLessThanOrEqual(60 * 60 * 1000 * 1.25);
    expect(retryDelayMs(40, () => 0)).toBeGreaterThanOrEqual(60 * 60 * 1000 * 0.75);
  });

  it('spreads retries with jitter so instances do not retry in lockstep', () => {
    expect(retryDelayMs(3, () => 0)).not.toBe(retryDelayMs(3, () => 1));
  });
});

describe('mail templates', () => {
  it('escapes user-supplied text in HTML but keeps it readable in plain text', () => {
    const message = mailTemplates.verifyEmail({ name: '<script>alert(1)</script>', url: 'https://allot.test/v?a=1&b=2' });
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).toContain('https://allot.test/v?a=1&amp;b=2');
    expect(message.text).toContain('Hello <script>alert(1)</script>,');
    expect(message.text).toContain('https://allot.test/v?a=1&b=2');
  });

  it('puts every button link in the plain-text body too', () => {
    const message = renderMessage({ subject: 's', greeting: 'Hi', paragraphs: [{ button: 'Open', url: 'https://x.test/1' }] });
    expect(message.text).toContain('Open: https://x.test/1');
  });
});
