import { z } from 'zod';

export type IdentityKind = 'email' | 'user' | 'visitor' | 'linkedin';
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
}

const Email = z.email();

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** True for a string that is an email address once trimmed. */
export function isEmail(value: string): boolean {
  return Email.safeParse(value.trim()).success;
}

export function identityId(key: IdentityKey): string {
  return `${key.kind}:${key.value}`;
}
