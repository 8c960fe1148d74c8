import type { LeadAccount } from '../../shared';

/**
 * The card's account line: "Acme Robotics · Hot account · 4 people engaged". The name falls back
 * to the domain (an account known only by domain); no engaged part when nobody is engaged yet.
 */
export function accountLine(account: LeadAccount): string {
  const name = account.name ?? account.domain ?? 'Unnamed account';
  const engaged = account.peopleEngaged === 0 ? [] : [`${account.peopleEngaged} ${account.peopleEngaged === 1 ? 'person' : 'people'} engaged`];
  return [name, `${account.tier} account`, ...engaged].join(' · ');
}
