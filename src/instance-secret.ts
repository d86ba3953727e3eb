import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';

/**
 * The secret that signs session cookies. From AUTH_SECRET when set (always in production);
 * otherwise generated on first start and kept, readable by the owner only, in the data folder.
 */
export function resolveAuthSecret(config: Pick<Config, 'authSecret' | 'dataDir' | 'env'>): string {
  if (config.authSecret) return config.authSecret;
  if (config.env === 'production') throw new Error('AUTH_SECRET is required in production');
  const file = path.join(config.dataDir, 'auth-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then we read theirs.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch {
    return fs.readFileSync(file, 'utf8').trim();
  }
}
