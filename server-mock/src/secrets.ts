import {
  createHash,
  randomBytes,
  scryptSync,
  timingSafeEqual
} from 'node:crypto';

const SCRYPT_KEY_LENGTH = 32;

/** A salted scrypt hash of a client secret: the secret itself is never stored. */
export function hashSecret(
  secret: string,
  salt: Buffer = randomBytes(16)
): { salt: Buffer; hash: Buffer } {
  return { salt, hash: scryptSync(secret, salt, SCRYPT_KEY_LENGTH) };
}

/** Constant-time check of a secret against its stored hash. */
export function secretMatches(
  secret: string,
  salt: Buffer,
  hash: Buffer
): boolean {
  const candidate = scryptSync(secret, salt, SCRYPT_KEY_LENGTH);
  return candidate.length === hash.length && timingSafeEqual(candidate, hash);
}

/** A new opaque bearer token, shaped like the platform's ("clt.…", docs/research/research-api.md §1). */
export function newAccessToken(): string {
  return `clt.${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored by digest, so a copy of the database grants nothing. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A random secret for generated clients. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}
