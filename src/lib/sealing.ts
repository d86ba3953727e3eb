import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest are sealed with AES-256-GCM under a key derived (HKDF-SHA256) from the instance
 * secret, one key per purpose, so a copy of the database alone opens none of them.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 */
export type SealingPurpose =
  /** Private license-ticket signing keys. */
  | 'signing-key-sealing'
  /** Bodies of mail waiting in the outbox (they hold verification, reset and invitation links). */
  | 'outbox-body'
  /** Answers kept for Idempotency-Key replays (a new API token or signing secret is in one). */
  | 'idempotent-answer'
  /** Webhook signing secrets: the server must sign with them, so a digest will not do. */
  | 'webhook-secret';

const SEALED_THINGS: Record<SealingPurpose, string> = {
  'signing-key-sealing': 'signing key',
  'outbox-body': 'mail body',
  'idempotent-answer': 'stored answer',
  'webhook-secret': 'webhook signing secret',
};

const derivedKeys = new Map<string, Buffer>();

/** HKDF once per secret and purpose: sealing every outbox message derived it anew. */
function sealingKey(instanceSecret: string, purpose: SealingPurpose): Buffer {
  const cacheKey = `${purpose}\u0000${instanceSecret}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', instanceSecret, 'allot', purpose, 32));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

export function seal(plaintext: string, instanceSecret: string, purpose: SealingPurpose): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(instanceSecret, purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export class UnsealError extends Error {
  override name = 'UnsealError';
}

export function unseal(sealed: string, instanceSecret: string, purpose: SealingPurpose): string {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new UnsealError('unknown sealed format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(instanceSecret, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new UnsealError(`a sealed ${SEALED_THINGS[purpose]} cannot be opened with this instance secret (was AUTH_SECRET changed?)`, { cause: error });
  }
}

/** seal/unseal bound to one secret and purpose, for a repository that stores sealed values. */
export function sealerFor(instanceSecret: string, purpose: SealingPurpose) {
  return {
    seal: (plaintext: string) => seal(plaintext, instanceSecret, purpose),
    unseal: (sealed: string) => unseal(sealed, instanceSecret, purpose),
  };
}
