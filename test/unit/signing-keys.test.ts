import { describe, expect, it } from 'vitest';
import { normalizeUserCode } from '../../src/modules/activations/activations.service.js';
import { seal, unseal, UnsealError } from '../../src/lib/sealing.js';

const secret = 'an-instance-secret-that-is-long-enough-0123456789';

describe('signing-key sealing', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = seal('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n', secret, 'signing-key-sealing');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(unseal(sealed, secret, 'signing-key-sealing')).toContain('abc');
  });

  it('uses a fresh IV each time', () => {
    expect(seal('same', secret, 'signing-key-sealing')).not.toBe(seal('same', secret, 'signing-key-sealing'));
  });

  it('refuses another secret and any tampering, with a message that names the likely cause', () => {
    const sealed = seal('key material', secret, 'signing-key-sealing');
    expect(() => unseal(sealed, `${secret}-changed`, 'signing-key-sealing')).toThrow(UnsealError);
    expect(() => unseal(sealed, `${secret}-changed`, 'signing-key-sealing')).toThrow(/AUTH_SECRET/);
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    expect(() => unseal([parts[0], parts[1], parts[2], ciphertext.toString('base64url')].join('.'), secret, 'signing-key-sealing')).toThrow(UnsealError);
    expect(() => unseal('v2.a.b.c', secret, 'signing-key-sealing')).toThrow(UnsealError);
  });
});

describe('device user codes', () => {
  it('match however the person types them', () => {
    expect(normalizeUserCode('wdjb-mjht')).toBe('WDJBMJHT');
    expect(normalizeUserCode(' WDJB MJHT ')).toBe('WDJBMJHT');
    expect(normalizeUserCode('WDJBMJHT')).toBe('WDJBMJHT');
  });
});
