/** Random bearer secrets and their at-rest form: a SHA-256 hex digest (the secret has ≥ 128 bits of entropy, so no salt or slow hash is needed). */
import { createHash, randomBytes } from 'node:crypto';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
