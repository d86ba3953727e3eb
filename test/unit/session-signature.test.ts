import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignedValue } from '../../src/auth/session-tokens.js';

const secret = 's'.repeat(40);
const sign = (value: string, key = secret) => `${value}.${createHmac('sha256', key).update(value).digest('base64')}`;

describe('signed session cookie values', () => {
  it('returns the token when the signature matches', () => {
    expect(verifySignedValue(sign('abc123'), secret)).toBe('abc123');
  });

  it('rejects a value signed with another secret', () => {
    expect(verifySignedValue(sign('abc123', 'o'.repeat(40)), secret)).toBeUndefined();
  });

  it('rejects a changed token, a truncated signature and a value without one', () => {
    const signed = sign('abc123');
    expect(verifySignedValue(signed.replace('abc123', 'abc124'), secret)).toBeUndefined();
    expect(verifySignedValue(signed.slice(0, -4), secret)).toBeUndefined();
    expect(verifySignedValue('abc123', secret)).toBeUndefined();
    expect(verifySignedValue('.abc', secret)).toBeUndefined();
  });
});
