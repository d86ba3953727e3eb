import { randomInt } from 'node:crypto';

/** Crockford's alphabet: no I, L, O or U, so an id read aloud or retyped survives. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A license id like JetBrains' ("K7Q2M9XD4A"): 10 characters, 50 random bits. */
export function createLicenseId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
