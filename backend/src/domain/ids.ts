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

/** Digits in ASCII order, so that ids compare (as text) in the order of the times they encode. */
const SORTABLE = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const TIME_DIGITS = 7; // 62^7 ms reaches the year 2081

/**
 * An id of the same shape as newId whose first characters are the time: ids made one after the
 * other sort after each other, so a bulk insert (a CSV import of 100k leads) appends to the
 * primary key and the indexes on it instead of writing a random page of each per row (3x
 * slower on SQLite). The rest is random (53 bits), so ids made in the same millisecond differ.
 */
export function timeOrderedId(prefix: string, now: number, length = 16): string {
  let id = '';
  for (let t = Math.max(0, Math.floor(now)); id.length < TIME_DIGITS; t = Math.floor(t / 62)) id = SORTABLE[t % 62] + id;
  while (id.length < length) {
    const byte = pooledRandomByte();
    if (byte < UNBIASED_BELOW) id += ALPHABET[byte % 62];
  }
  return `${prefix}_${id}`;
}

// Random bytes drawn 4 KiB at a time: one randomBytes call per id costs more than the rest of an imported row.
let pool = Buffer.alloc(0);
let poolAt = 0;
function pooledRandomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}
