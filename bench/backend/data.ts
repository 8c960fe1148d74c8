/**
 * The benchmark's data set: 100,000 leads and 2,000,000 events from a seeded generator, as rows
 * of the backend's tables. Aggregates and scores are computed with the real engine and the
 * workspace's model, exactly as ingest would have left them, so lookups and rescoring find the
 * data in the shape they meet in production.
 */
import {
  absorbEvents,
  EventName,
  type CompiledModel,
  type ScorableEvent,
} from '../../shared/index';
import { blankLead } from '../../backend/src/store/leads/lead-rows';
import { leadFromRow, leadToRow } from '../../backend/src/store/sql/rows';
import { accountKeyOf } from '../../backend/src/domain/account-key';
import { applyScore } from '../../backend/src/store/leads/score-lead';
import type { Database } from '../../backend/src/store/sql/schema';
import type { LeadRow } from '../../backend/src/store/sql/rows';
import type { LeadRecord } from '../../backend/src/store/store';
import { prng } from '../../test/support/prng';

import { EVENTS, eventCounts, eventName, LEADS, randomPath } from '../synthetic';

export { EVENTS, LEADS };
const BLOCK = 5_000;
const DAY = 86_400_000;

/** Lead i's email: mostly company addresses, every tenth a free-mail one. */
export function leadEmail(i: number): string {
  return i % 10 === 9 ? `person${i}@gmail.com` : `person${i}@company${i % 7_919}.example`;
}

/** Lead i's tracker visitor id (its events carry it; an identity row ties it to the lead). */
export const leadVisitor = (i: number) => `visitor-${i}`;

/** The attributes an import would set; the lead derives its email's domain type as production does. */
function imported(rand: () => number, now: number): LeadRecord['attributes'] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const set = (value: string | number | boolean) => ({ value, setBy: 'import', setAt: now });
  return {
    industry: set(pick(['Software', 'Retail', 'Fintech', 'Healthcare', 'Manufacturing'])),
    seniority: set(pick(['entry', 'senior', 'manager', 'director', 'vp', 'c-level'])),
    companySize: set(Math.floor(rand() * 10_000)),
    budget: set(rand() < 0.3),
    decisionMaker: set(rand() < 0.3),
  };
}

export type { LeadRow };
export type IdentityRow = Database['identities'];
export type EventRow = Omit<Database['events'], 'id'>;

export type AccountRow = Database['accounts'];

export interface Block {
  leads: LeadRow[];
  identities: IdentityRow[];
  events: EventRow[];
  /** Accounts first seen in this block (their leads carry `account_id`); none unless a data set assigns them. */
  accounts?: AccountRow[];
}

export interface Tenancy {
  workspaceId: string;
  siteId: string;
}

/**
 * The data set in blocks of 5,000 leads (with their events), so memory stays flat. `emailOf` gives
 * lead i's address (the accounts bench puts the same leads at business or at free-mail domains).
 */
export function* blocks(tenancy: Tenancy, compiled: CompiledModel, now: number, seed = 1, emailOf: (i: number) => string = leadEmail): Generator<Block> {
  const counts = eventCounts(prng(seed));
  const rand = prng(seed + 1);
  for (let start = 0; start < LEADS; start += BLOCK) {
    const block: Block = { leads: [], identities: [], events: [] };
    for (let i = start; i < Math.min(start + BLOCK, LEADS); i++) addLead(block, tenancy, compiled, now, rand, i, counts[i]!, emailOf(i));
    yield block;
  }
}

function addLead(block: Block, { workspaceId, siteId }: Tenancy, compiled: CompiledModel, now: number, rand: () => number, i: number, count: number, email: string): void {
  const id = `ld_bench${String(i).padStart(7, '0')}`;
  const visitor = leadVisitor(i);
  const times = Array.from({ length: count }, () => now - Math.floor(rand() * 365 * DAY)).sort((a, b) => a - b);
  const scorable: ScorableEvent[] = [];
  times.forEach((at, k) => {
    const name = eventName(rand);
    const path = name === EventName.pageViewed ? randomPath(rand) : undefined;
    const properties = path ? { path, url: `https://www.acme.example${path}`, title: 'Acme' } : { campaign: 'q1' };
    scorable.push({ event: name, properties, at });
    block.events.push({
      workspace_id: workspaceId,
      site_id: siteId,
      message_id: `seed-${i}-${k}`,
      type: path ? 'page' : 'track',
      name,
      anonymous_id: visitor,
      user_id: null,
      actor: visitor,
      lead_id: id,
      properties: JSON.stringify(properties),
      context: null,
      at,
      received_at: at,
    });
  });
  const fields = { email, name: `Person ${i}`, linkedinUrl: null, attributes: imported(rand, now) };
  const blank = { ...blankLead(compiled, id, workspaceId, fields, now), createdAt: times[0] ?? now };
  const { lead } = applyScore(blank, compiled, absorbEvents(compiled, blank.aggregate, scorable, now), now);
  block.leads.push(leadToRow(lead));
  block.identities.push({ workspace_id: workspaceId, kind: 'email', value: email, lead_id: id }, { workspace_id: workspaceId, kind: 'visitor', value: visitor, lead_id: id });
}

/**
 * `data` with each lead in the account its email puts it in (accountKeyOf, as production decides)
 * and each account's row in the block that first names it, blank: the loader's caller rolls them
 * up once loaded (bench/accounts/roll-up-pass.ts), as migration 0010's backfill ends with.
 */
export function* withAccounts(data: Iterable<Block>, tenancy: Tenancy, now: number): Generator<Block> {
  const accountIds = new Map<string, string>();
  for (const block of data) {
    const accounts: AccountRow[] = [];
    for (const row of block.leads) {
      const lead = leadFromRow(row);
      const key = accountKeyOf(lead.email, lead.attributes);
      if (!key) continue;
      let id = accountIds.get(key.key);
      if (!id) {
        id = `ac_bench${String(accountIds.size).padStart(7, '0')}`;
        accountIds.set(key.key, id);
        accounts.push({ id, workspace_id: tenancy.workspaceId, key: key.key, domain: key.domain, name: key.name, attributes: '{}', score: 0, fit: 0, engagement: 0, tier: '', people: 0, people_engaged: 0, breakdown: '[]', scored_at: now, created_at: now });
      }
      row.account_id = id;
    }
    yield { ...block, accounts };
  }
}
