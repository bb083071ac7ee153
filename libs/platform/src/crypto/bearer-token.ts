import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * A secret presented as `Authorization: Bearer <token>` (ADMIN_TOKEN, METRICS_TOKEN). Both sides are
 * hashed first, so the comparison takes the same time whatever the length or content of the guess.
 */
export class BearerToken {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = digest(token);
  }

  /** Whether an Authorization header carries this token. */
  matches(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]), this.expected);
  }
}
