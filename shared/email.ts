/**
 * What counts as an email address, everywhere: the backend when it resolves identities and
 * validates leads, the extension when it finds people on a page, the tracker when it reads a form.
 * The pattern is zod's default for z.email(), written here so that the tracker and the
 * extension's content scripts can use it without pulling in zod.
 */
export const EMAIL_PATTERN = /^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;

/** The longest address SMTP allows (RFC 5321: 64 + 1 + 255). */
export const MAX_EMAIL_LENGTH = 320;

/** True for a string that is an email address once trimmed. */
export function isEmail(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(trimmed);
}

/** The form identities are stored and looked up in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
