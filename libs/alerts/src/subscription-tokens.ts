import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: what goes into links. Only its hash is stored for lookup. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
