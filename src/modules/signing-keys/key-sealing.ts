import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Private signing keys are stored sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
 * the instance secret, so a copy of the database alone cannot mint license tickets.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
function sealingKey(instanceSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', instanceSecret, 'allot', 'signing-key-sealing', 32));
}

export function seal(plaintext: string, instanceSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(instanceSecret), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export class UnsealError extends Error {
  override name = 'UnsealError';
}

export function unseal(sealed: string, instanceSecret: string): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new UnsealError('unknown sealed-key format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(instanceSecret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new UnsealError('a signing key cannot be opened with this instance secret (was AUTH_SECRET changed?)', { cause: error });
  }
}
