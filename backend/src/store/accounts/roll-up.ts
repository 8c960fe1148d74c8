import { sql, type Selectable } from 'kysely';
import { scoreAccount, type AccountAttributes, type AccountPerson, type CompiledModel } from '../../../../shared/index';
import { attributeValues, type LeadRecord } from '../../domain/lead-record';
import type { Database, Db } from '../sql/schema';
import { accountFromRow } from '../sql/rows';
import { recordWebhookEvent, webhookAccount } from '../webhooks/outbox';

/** The attributes an account takes from its people when it has none of its own (the first person to give one wins). */
const FROM_PEOPLE = ['industry', 'companySize', 'annualRevenue', 'country'] as const;
const ACCOUNTS_PER_QUERY = 500;

export interface RollUpOptions {
  /** Leads just saved: their account takes the attributes (and name) it lacks from them. */
  fillFrom?: readonly LeadRecord[];
  /** account.tier_changed events (false in a rescore: a model change is one model.changed event). */
  webhookEvents?: boolean;
}

type AccountRow = Selectable<Database['accounts']>;

interface PeopleOf {
  people: number;
  engaged: number;
  top: AccountPerson[];
}

/**
 * Rolls the accounts up from their people, inside the caller's transaction: each account's people
 * count, how many are engaged and its most engaged people (index range reads on
 * (account_id, engagement, id): no sort, however many people), then its score, tier and breakdown.
 */
export async function rollUpAccounts(trx: Db, compiled: CompiledModel, workspaceId: string, ids: readonly string[], now: number, options: RollUpOptions = {}): Promise<void> {
  for (let i = 0; i < ids.length; i += ACCOUNTS_PER_QUERY) {
    const accounts = await accountRows(trx, workspaceId, ids.slice(i, i + ACCOUNTS_PER_QUERY));
    const people = new Map<string, PeopleOf>();
    for (const row of accounts) people.set(row.id, await peopleOfOne(trx, compiled, row.id));
    await applyRollUps(trx, compiled, workspaceId, accounts, people, now, options);
  }
}

/**
 * Every account of the workspace rolled up, `ACCOUNTS_PER_QUERY` per transaction (`atomically`
 * runs one): after a rescore, one window query per page ranks every person of its accounts at once.
 */
export async function rollUpAllAccounts(db: Db, atomically: <T>(work: (trx: Db) => Promise<T>) => Promise<T>, compiled: CompiledModel, workspaceId: string, now: number, options: RollUpOptions = {}): Promise<number> {
  let after = '';
  let total = 0;
  for (;;) {
    const page = await atomically(async (trx) => {
      const accounts = await trx.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId).where('id', '>', after).orderBy('id').limit(ACCOUNTS_PER_QUERY).execute();
      if (accounts.length > 0) await applyRollUps(trx, compiled, workspaceId, accounts, await peopleRanked(trx, compiled, accounts.map((a) => a.id)), now, options);
      return accounts;
    });
    if (page.length === 0) return total;
    total += page.length;
    after = page.at(-1)!.id;
  }
}

function accountRows(trx: Db, workspaceId: string, ids: readonly string[]): Promise<AccountRow[]> {
  return trx.selectFrom('accounts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/**
 * Each account's new score, tier and breakdown, written in one statement for those that changed
 * (an account whose roll-up comes out the same is not rewritten: `scored_at` is when it last
 * changed); an account left with no people goes, unless it is a target account.
 */
async function applyRollUps(trx: Db, compiled: CompiledModel, workspaceId: string, accounts: AccountRow[], people: ReadonlyMap<string, PeopleOf>, now: number, options: RollUpOptions): Promise<void> {
  const gone: string[] = [];
  const changed: { before: AccountRow; after: AccountRow }[] = [];
  for (const row of accounts) {
    const { people: count, engaged, top } = people.get(row.id) ?? { people: 0, engaged: 0, top: [] };
    const filled = filledFrom(row, options.fillFrom ?? []);
    if (count === 0 && filled.attributes.targetAccount !== true) {
      gone.push(row.id);
      continue;
    }
    const result = scoreAccount(compiled.accounts, { attributes: filled.attributes, top, engaged });
    const next = { ...row, name: filled.name, attributes: JSON.stringify(filled.attributes), score: result.score, fit: result.fit, engagement: result.engagement, tier: result.tier, people: count, people_engaged: engaged, breakdown: JSON.stringify(result.breakdown) };
    if (!sameRollUp(row, next)) changed.push({ before: row, after: { ...next, scored_at: now } });
  }
  if (gone.length > 0) await trx.deleteFrom('accounts').where('id', 'in', gone).execute();
  if (changed.length > 0) await writeAccounts(trx, changed.map((c) => c.after));
  if (options.webhookEvents === false) return;
  for (const { before, after } of changed) {
    if (before.tier === '' || before.tier === after.tier) continue;
    const data = { account: webhookAccount(accountFromRow(after)), previous: { tier: before.tier }, current: { tier: after.tier } };
    await recordWebhookEvent(trx, workspaceId, null, { type: 'account.tier_changed', timestamp: new Date(now).toISOString(), data }, now);
  }
}

function sameRollUp(a: AccountRow, b: AccountRow): boolean {
  return ROLLED_UP.every((column) => a[column] === b[column]);
}

const ROLLED_UP = ['name', 'attributes', 'score', 'fit', 'engagement', 'tier', 'people', 'people_engaged', 'breakdown'] as const;

/** Every changed account in one statement (an upsert on the id: both databases take it; rows are at most ACCOUNTS_PER_QUERY). */
async function writeAccounts(trx: Db, rows: AccountRow[]): Promise<void> {
  await trx
    .insertInto('accounts')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        ...Object.fromEntries(ROLLED_UP.map((column) => [column, eb.ref(`excluded.${column}`)])),
        scored_at: eb.ref('excluded.scored_at'),
      })),
    )
    .execute();
}

/**
 * One account's people in one statement: its most engaged read off the index's end (ties: the
 * newer id first), with how many people it has and how many are engaged as two uncorrelated
 * subqueries (computed once, on the index). No row: no people.
 */
async function peopleOfOne(trx: Db, compiled: CompiledModel, accountId: string): Promise<PeopleOf> {
  const { topPeople, engagedMin } = compiled.accounts.engagement;
  const rows = await trx
    .selectFrom('leads')
    .select(['id', 'name', 'email', 'engagement'])
    .select((eb) => [
      eb.selectFrom('leads as all').select(eb.fn.countAll().as('n')).where('all.account_id', '=', accountId).as('people'),
      eb.selectFrom('leads as engaged').select(eb.fn.countAll().as('n')).where('engaged.account_id', '=', accountId).where('engaged.engagement', '>=', engagedMin).as('engaged'),
    ])
    .where('account_id', '=', accountId)
    .orderBy('engagement', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.max(topPeople, 1))
    .execute();
  const first = rows[0];
  const top = rows.slice(0, topPeople).map((p) => ({ id: p.id, name: p.name, email: p.email, engagement: Number(p.engagement) }));
  return { people: Number(first?.people ?? 0), engaged: Number(first?.engaged ?? 0), top };
}

/** Per account of a page: how many people, how many engaged, and the most engaged, ranked by one window query. */
async function peopleRanked(trx: Db, compiled: CompiledModel, ids: string[]): Promise<Map<string, PeopleOf>> {
  const { topPeople, engagedMin } = compiled.accounts.engagement;
  const ranked = await sql<{ account_id: string; id: string; name: string | null; email: string | null; engagement: number; rank: number; people: number; engaged: number }>`
    select account_id, id, name, email, engagement, rank, people, engaged from (
      select account_id, id, name, email, engagement,
        row_number() over (partition by account_id order by engagement desc, id desc) as rank,
        count(*) over (partition by account_id) as people,
        sum(case when engagement >= ${engagedMin} then 1 else 0 end) over (partition by account_id) as engaged
      from leads where account_id in (${sql.join(ids)})
    ) ranked where rank <= ${Math.max(topPeople, 1)} order by account_id, rank`.execute(trx);
  const byAccount = new Map<string, PeopleOf>();
  for (const row of ranked.rows) {
    let entry = byAccount.get(row.account_id);
    if (!entry) byAccount.set(row.account_id, (entry = { people: Number(row.people), engaged: Number(row.engaged), top: [] }));
    if (Number(row.rank) <= topPeople) entry.top.push({ id: row.id, name: row.name, email: row.email, engagement: Number(row.engagement) });
  }
  return byAccount;
}

/** The account's name and attributes, with what it lacks taken from the leads just saved into it. */
function filledFrom(row: { id: string; name: string | null; attributes: string }, leads: readonly LeadRecord[]): { name: string | null; attributes: AccountAttributes } {
  const attributes = JSON.parse(row.attributes) as AccountAttributes;
  let name = row.name;
  for (const lead of leads) {
    if (lead.accountId !== row.id) continue;
    const values = attributeValues(lead.attributes) as Record<string, string | number | boolean | undefined>;
    for (const key of FROM_PEOPLE) if (attributes[key] === undefined && values[key] !== undefined) attributes[key] = values[key];
    if (name === null && typeof values.company === 'string') name = values.company;
  }
  return { name, attributes };
}
