import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EMAIL_PATTERN, isEmail, normalizeEmail } from '../../shared/email';

describe('what counts as an email address', () => {
  it('normalizes to the trimmed, lowercased form identities are stored in', () => {
    expect(normalizeEmail('  Ann.Lee@ACME.test ')).toBe('ann.lee@acme.test');
  });

  it('accepts real addresses, trimmed, and refuses what only looks like one', () => {
    for (const yes of [' a@b.co ', 'ann.lee+crm@mail.acme-robotics.com', "o'brien@acme.ie", 'DANA_RUIZ@Example.COM']) expect(isEmail(yes), yes).toBe(true);
    for (const no of ['user_42', 'Dana Ruiz <dana@acme.com>', 'dana@acme', 'a..b@acme.com', '.a@acme.com', 'a@-acme.com', 'dana@acme.com, sam@acme.com', 'mailto:dana@acme.com', '']) {
      expect(isEmail(no), no).toBe(false);
    }
  });

  it('refuses addresses longer than SMTP allows', () => {
    const local = 'a'.repeat(64);
    expect(isEmail(`${local}@${'b'.repeat(251)}.com`)).toBe(true);
    expect(isEmail(`${local}@${'b'.repeat(252)}.com`)).toBe(false);
  });

  it('agrees with the z.email() the API validates with, so the extension and the backend see the same people', () => {
    const zodEmail = z.email();
    for (const value of ['a@b.co', 'a..b@acme.com', 'dana@acme', "o'brien@acme.ie", 'x_y-z@sub.example.org', 'ü@acme.com']) {
      expect(EMAIL_PATTERN.test(value), value).toBe(zodEmail.safeParse(value).success);
    }
  });
});
