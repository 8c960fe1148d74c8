import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UNBIASED_BELOW = 248; // 4 * 62: bytes at or above it would favour the first letters

/** Random letters and digits (no '-' or '_', so an id never looks like a command-line flag). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_BELOW && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** A random identifier with a readable prefix, e.g. `ld_4f9c2aQ...`; 16 characters carry 95 bits. */
export function newId(prefix: string, length = 16): string {
  return `${prefix}_${randomAlphanumeric(length)}`;
}
