import type { AccountDetail, AccountSummary, LeadAccount, LeadSummary } from '../../../shared/index';
import type { AccountRecord } from '../domain/account-record';

const iso = (ms: number) => new Date(ms).toISOString();

/** The account line of a lead's summary. */
export function toLeadAccount(account: AccountRecord): LeadAccount {
  return { id: account.id, name: account.name, domain: account.domain, score: account.score, tier: account.tier, peopleEngaged: account.peopleEngaged };
}

export function toAccountSummary(account: AccountRecord): AccountSummary {
  return {
    ...toLeadAccount(account),
    fit: account.fit,
    engagement: account.engagement,
    people: account.people,
    targetAccount: account.attributes.targetAccount === true,
    scoredAt: iso(account.scoredAt),
  };
}

export function toAccountDetail(account: AccountRecord, members: LeadSummary[]): AccountDetail {
  return { ...toAccountSummary(account), attributes: account.attributes, breakdown: account.breakdown, members };
}
