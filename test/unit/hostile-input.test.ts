import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canonicalAuthRequest } from '../../src/http/auth-request.js';
import { dateUntilInput, parseDateTime, parseEndOfDay } from '@allot/contract/dates';
import { redactSecrets } from '../../src/lib/redact.js';
import { findUnstorableText } from '../../src/lib/unstorable-text.js';
import { createLogger } from '../../src/logger.js';

describe('strict dates', () => {
  it('accepts only days that exist, in years 1970 to 9999', () => {
    expect(parseEndOfDay('2032-02-29')?.toISOString()).toBe('2032-02-29T23:59:59.999Z');
    for (const text of [
      '2031-02-29',
      '2031-02-30',
      '2031-04-31',
      '2031-13-01',
      '2031-00-10',
      '2031-01-00',
      '0000-00-00',
      '1969-12-31',
      '10000-01-01',
      '2031-1-1',
    ]) {
      expect([text, parseEndOfDay(text)]).toEqual([text, undefined]);
    }
  });

  it('reads RFC 3339 date-times with their zone, and nothing looser', () => {
    expect(parseDateTime('2031-03-01T01:30:00+02:00')?.toISOString()).toBe('2031-02-28T23:30:00.000Z');
    expect(parseDateTime('2031-03-01T01:30:00.123456Z')?.toISOString()).toBe('2031-03-01T01:30:00.123Z');
    for (const text of [
      '2031-03-01T24:00:00Z',
      '2031-03-01T12:00:60Z',
      '2031-03-01T12:00:00',
      '2031-03-01 12:00:00Z',
      '2031-02-30T00:00:00Z',
      '+275760-09-13T00:00:00Z',
      '1970-01-01T00:30:00+01:00',
      'Tue, 01 Mar 2031 00:00:00 GMT',
    ]) {
      expect([text, parseDateTime(text)]).toEqual([text, undefined]);
    }
  });

  it('names the expected form in its message', () => {
    const result = dateUntilInput.safeParse('2031-02-30');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/Not a real date: use a date like 2027-01-31/);
  });
});

describe('unstorable text', () => {
  it('finds NUL and unpaired surrogates, in values and keys, and names their path', () => {
    expect(findUnstorableText({ a: [{ b: 'x\u0000' }] })).toBe('a.0.b');
    expect(findUnstorableText({ name: 'lone \uD800' })).toBe('name');
    expect(findUnstorableText({ name: 'lone \uDFFF' })).toBe('name');
    expect(findUnstorableText({ ['k\u0000']: 1 })).toBe('');
    expect(findUnstorableText({ name: 'pair 😀', n: 1, ok: null })).toBeUndefined();
  });
});

describe('redaction of secrets in text', () => {
  it('redacts credentials in query values and token-like path segments, keeping ids, routes and assets', () => {
    expect(redactSecrets('/api/auth/verify-email?token=eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImEifQ.sig0123456789&callbackURL=/x')).toBe(
      '/api/auth/verify-email?token=[redacted]&callbackURL=/x',
    );
    expect(redactSecrets('/api/auth/reset-password/abcdefghijklmnopqrstuvwx?callbackURL=%2Freset-password')).toBe(
      '/api/auth/reset-password/[redacted]?callbackURL=%2Freset-password',
    );
    expect(redactSecrets('/invite/short')).toBe('/invite/[redacted]');
    expect(redactSecrets('/device?user_code=WDJB-MJHT')).toBe('/device?user_code=[redacted]');
    expect(redactSecrets('/api/v1/activations/device-authorizations')).toBe('/api/v1/activations/device-authorizations');
    expect(redactSecrets('/api/v1/teams/6f1c2a5e-1b2c-4d3e-8f90-123456789abc/invitations')).toBe(
      '/api/v1/teams/6f1c2a5e-1b2c-4d3e-8f90-123456789abc/invitations',
    );
    expect(redactSecrets('/assets/TwoFactorEnrolment-Dx7Yq9aB.js')).toBe('/assets/TwoFactorEnrolment-Dx7Yq9aB.js');
    expect(redactSecrets('GET http://localhost:3000/x/Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2 failed')).toBe('GET http://localhost:3000/x/[redacted] failed');
  });

  it('reaches every part of a log line: message, fields, errors and their stacks', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const secret = 'Qw3rTy8uIoP1aSdFgHjKlZxCv';
    logger.info({ link: `http://localhost/reset-password?token=${secret}`, nested: { paths: [`/invite/${secret}`] } }, `opened /reset-password/${secret}`);
    logger.error({ err: new Error(`fetch http://x/verify-email?token=${secret} failed`) }, 'boom');
    logger.warn(
      { body: { email: 'a@example.test', password: secret, newPassword: secret }, headers: { cookie: secret, Authorization: secret }, refreshToken: secret },
      'odd',
    );
    expect(lines).toHaveLength(3);
    expect(lines.join('')).not.toContain(secret);
    expect(JSON.parse(lines[2]!)).toMatchObject({
      body: { email: 'a@example.test', password: '[redacted]', newPassword: '[redacted]' },
      headers: { cookie: '[redacted]', Authorization: '[redacted]' },
      refreshToken: '[redacted]',
    });
    expect(lines.join('')).toContain('[redacted]');
    expect(JSON.parse(lines[1]!).err.stack).toContain('[redacted]');
  });
});

describe('canonical Better Auth requests', () => {
  it('forwards one spelling of the path and a body re-serialized from what we parsed', () => {
    const result = canonicalAuthRequest({
      url: '/api/auth//sign-in/%65mail/?x=1',
      contentType: 'application/json; charset=UTF-8',
      body: Buffer.from('\uFEFF{"email":"A@B.C","email":"x@y.z"}'),
    });
    expect(result).toEqual({ ok: true, request: { path: '/sign-in/email', search: '?x=1', body: '{"email":"x@y.z"}', parsedBody: { email: 'x@y.z' } } });
    expect(canonicalAuthRequest({ url: '/api/auth/sign-in/email', contentType: 'application/json', body: Buffer.from([0xff, 0xfe]) })).toMatchObject({
      ok: false,
      refusal: { code: 'VALIDATION_FAILED' },
    });
    expect(canonicalAuthRequest({ url: '/api/auth/%E0%A4%A', contentType: undefined, body: undefined })).toMatchObject({
      ok: false,
      refusal: { code: 'NOT_FOUND' },
    });
  });
});
