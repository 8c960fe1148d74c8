import { describe, expect, it } from 'vitest';
import { accountName, accountTiers, DEFAULT_ACCOUNT_TIERS, peopleEngagedText, topAccountsUrl } from '../../console/src/accounts';
import { DEFAULT_ACCOUNT_MODEL, DEFAULT_MODEL } from '../../shared/scoring/default-model';

describe('the console’s accounts helpers', () => {
  it('keeps the default account tiers equal to the default account model’s', () => {
    expect(DEFAULT_ACCOUNT_TIERS).toEqual(DEFAULT_ACCOUNT_MODEL.tiers.map((t) => t.name));
  });

  it('reads the tiers from the model’s account part, else the default ones', () => {
    const custom = { ...DEFAULT_MODEL, accounts: { ...DEFAULT_ACCOUNT_MODEL, tiers: [{ name: 'Strategic', min: 80 }, { name: 'Other', min: 0 }] } };
    expect(accountTiers(custom)).toEqual(['Strategic', 'Other']);
    const { accounts: _, ...withoutAccounts } = DEFAULT_MODEL;
    expect(accountTiers(withoutAccounts)).toEqual(['Hot', 'Warm', 'Cold']);
  });

  it('names an account by its name, else its domain', () => {
    expect(accountName({ name: 'Acme Robotics', domain: 'acme-robotics.com' })).toBe('Acme Robotics');
    expect(accountName({ name: null, domain: 'acme-robotics.com' })).toBe('acme-robotics.com');
    expect(accountName({ name: null, domain: null })).toBe('Unnamed account');
  });

  it('counts engaged people in words', () => {
    expect(peopleEngagedText(0)).toBe('nobody engaged yet');
    expect(peopleEngagedText(1)).toBe('1 person engaged');
    expect(peopleEngagedText(4)).toBe('4 people engaged');
  });

  it('asks for the top accounts of a tier, escaped', () => {
    expect(topAccountsUrl('')).toBe('/api/accounts/top?limit=50');
    expect(topAccountsUrl('Very Hot&x')).toBe('/api/accounts/top?tier=Very+Hot%26x&limit=50');
  });
});
