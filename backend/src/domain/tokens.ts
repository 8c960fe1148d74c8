import { createHash } from 'node:crypto';
import { randomAlphanumeric } from './ids';

export const ROLES = ['rep', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A bearer token: a role prefix (so a leaked one is recognisable) and 43 random characters (256 bits). */
export function newTokenSecret(role: Role): string {
  return `ls_${role}_${randomAlphanumeric(43)}`;
}

/** Tokens are stored only as this hash; the secret is shown once. */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
