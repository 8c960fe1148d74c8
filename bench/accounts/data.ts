/**
 * The accounts bench's two data sets: the backend bench's 100,000 leads and 2,000,000 events
 * (same seed, same events, same attributes), once with every lead at a business domain, grouped
 * into companies of about five people, and once with every lead at a free-mail domain, where no
 * account forms. Business leads are loaded with their account ids and the account rows, as
 * migration 0010's backfill would leave them before their first roll-up.
 */
import { compileModel, DEFAULT_MODEL } from '../../shared/index';
import { prng } from '../../test/support/prng';
import { blocks, LEADS, withAccounts, type Block, type Tenancy } from '../backend/data';

/** Mean of the company sizes drawn below (an exponential tail: most companies have 1-8 people, a few 20-40). */
const MEAN_EXTRA_PEOPLE = 4;
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com'] as const;

export type Variant = 'business' | 'free-mail';

export interface Companies {
  /** Company index of lead i. */
  of: Int32Array;
  count: number;
  largest: number;
}

/** Consecutive leads fill companies whose sizes are 1 + an exponential draw of mean 4 (seeded). */
export function companies(seed = 18): Companies {
  const rand = prng(seed);
  const of = new Int32Array(LEADS);
  let company = 0;
  let largest = 0;
  for (let i = 0; i < LEADS; company++) {
    const size = 1 + Math.floor(-Math.log(1 - rand()) * MEAN_EXTRA_PEOPLE);
    largest = Math.max(largest, size);
    for (let k = 0; k < size && i < LEADS; k++) of[i++] = company;
  }
  return { of, count: company, largest };
}

export function emailOf(variant: Variant, grouping: Companies): (i: number) => string {
  return variant === 'business' ? (i) => `person${i}@company${grouping.of[i]}.com` : (i) => `person${i}@${FREE_MAIL[i % FREE_MAIL.length]}`;
}

/** The data set of `variant`: every business lead must land in an account and no free-mail lead may, or the comparison is void. */
export function* accountsDataSet(variant: Variant, grouping: Companies, tenancy: Tenancy, now: number): Generator<Block> {
  for (const block of withAccounts(blocks(tenancy, compileModel(DEFAULT_MODEL), now, 1, emailOf(variant, grouping)), tenancy, now)) {
    const wrong = block.leads.find((row) => (row.account_id !== null) !== (variant === 'business'));
    if (wrong) throw new Error(`${wrong.email} is ${wrong.account_id ? `in account ${wrong.account_id}` : 'in no account'} in the ${variant} data set`);
    yield block;
  }
}
