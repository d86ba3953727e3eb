import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { HttpClient } from './http-client.js';
import type { TestSmtpServer } from './smtp.js';

export const PASSWORD = 'correct horse battery';

let counter = 0;
/** A unique address per call, so tests never collide on one database. */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}@example.test`;
}

export async function signUp(client: HttpClient, { email, password = PASSWORD, name = 'Test User' }: { email: string; password?: string; name?: string }) {
  const response = await client.post('/api/auth/sign-up/email', { email, password, name, callbackURL: '/email-verified' });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response;
}

/** Opens the newest link of the given subject sent to `email`, as a person clicking it would. */
export async function openMailLink(client: HttpClient, smtp: TestSmtpServer, { email, subject }: { email: string; subject: string }) {
  await smtp.waitFor((mail) => mail.to.includes(email) && mail.subject === subject);
  const mail = smtp.received.filter((m) => m.to.includes(email) && m.subject === subject).at(-1)!;
  const link = mail.links[0]!;
  expect(link.startsWith(client.baseUrl), `link ${link} must be built from BASE_URL`).toBe(true);
  return client.get(link.slice(client.baseUrl.length));
}

/** Sign-up and verification; the verification link signs the user in. */
export async function createVerifiedUser(client: HttpClient, smtp: TestSmtpServer, options: { email?: string; password?: string; name?: string } = {}) {
  const email = options.email ?? uniqueEmail();
  await signUp(client, { email, ...(options.password ? { password: options.password } : {}), ...(options.name ? { name: options.name } : {}) });
  const verified = await openMailLink(client, smtp, { email, subject: 'Verify your email address' });
  expect(verified.status).toBe(302);
  return { email, password: options.password ?? PASSWORD };
}

export async function signIn(client: HttpClient, { email, password = PASSWORD }: { email: string; password?: string }) {
  return client.post('/api/auth/sign-in/email', { email, password });
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), written here independently of the code under test. */
export function totp(base32Secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32Secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counterBuffer = Buffer.alloc(8);
  counterBuffer.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counterBuffer).digest();
  const offset = digest[digest.length - 1]! & 0xf;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, '0');
}
