import { scoreAggregate, type TrackedEvent } from '../../../shared/index';
import { leadInput } from '../../../backend/src/domain/lead-record';
import type { Store } from '../../../backend/src/store/store';
import { prng } from '../../support/prng';

/** Deterministic pseudo-random numbers, so a failing run can be replayed. */
export const random = prng;


export interface Person {
  emails: string[];
  visitors: string[];
}

export interface Scenario {
  people: Person[];
  /** Batches in the order a single instance receives them. */
  batches: TrackedEvent[][];
  messageIds: Set<string>;
}

/**
 * Traffic where order matters if storage is careless: each person browses on two devices, both
 * identify (odd people's phone also with their account id, which server-side events use, so
 * those events may arrive before anything ties the id to the lead), server-side events arrive by
 * email userId, and everything is shuffled across small batches. Traits are the same in every
 * identify of a person, so the final state does not depend on the order in which batches land;
 * only on each event being stored once.
 */
export function scenario(people: number, seed: number, base: number): Scenario {
  const rand = random(seed);
  let clock = base - 3 * 86_400_000;
  const at = () => new Date((clock += 1_000 + Math.floor(rand() * 60_000))).toISOString();
  const events: TrackedEvent[] = [];
  const persons: Person[] = [];
  for (let i = 0; i < people; i++) {
    const email = `person${i}@acme-${i % 3}.com`;
    const account = i % 2 ? `crm-${i}` : undefined;
    const visitors = [`p${i}-laptop`, `p${i}-phone`];
    const traits = { name: `Person ${i}`, title: i % 4 === 0 ? 'VP of Sales' : 'Engineer', industry: i % 3 === 0 ? 'Software' : 'Retail', email };
    const id = (kind: string, n: number) => `s${seed}-p${i}-${kind}-${n}`;
    const page = (v: string, path: string, n: number): TrackedEvent => ({ type: 'page', messageId: id(`page${path}`, n), timestamp: at(), anonymousId: v, context: { page: { path } } });
    events.push(
      page(visitors[0]!, '/pricing', 0),
      page(visitors[0]!, '/features', 1),
      { type: 'identify', messageId: id('identify', 0), timestamp: at(), anonymousId: visitors[0], traits },
      page(visitors[1]!, '/', 2),
      { type: 'track', messageId: id('webinar', 0), timestamp: at(), anonymousId: visitors[1], event: 'Webinar Registered', properties: { webinar: 'w1' } },
      { type: 'identify', messageId: id('identify', 1), timestamp: at(), anonymousId: visitors[1], userId: account, traits },
      page(visitors[1]!, '/pricing/enterprise', 3),
      { type: 'track', messageId: id('attended', 0), timestamp: at(), userId: email, event: 'Webinar Attended', properties: { webinar: 'w1' } },
    );
    if (account) events.push({ type: 'track', messageId: id('form', 0), timestamp: at(), userId: account, event: 'Form Submitted' });
    if (i % 5 === 0) events.push({ type: 'track', messageId: id('demo', 0), timestamp: at(), userId: email, event: 'Demo Requested' });
    persons.push({ emails: [email], visitors });
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  const batches: TrackedEvent[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(rand() * 6);
    batches.push(events.slice(i, i + size));
    i += size;
  }
  return { people: persons, batches, messageIds: new Set(events.map((e) => e.messageId)) };
}

export interface PersonOutcome {
  emails: string[];
  leadIds: number;
  stage: string;
  score: number;
  fit: number;
  engagement: number;
  tier: string;
  grade: string;
}

/**
 * What each person ended up as, independent of lead ids and of when scores were stored: the
 * number of distinct leads their emails and devices point to (1 when identities resolved), and the
 * score of the stored aggregate at one fixed moment.
 */
export async function outcomes(store: Store, workspaceId: string, people: Person[], scoredAt: number): Promise<PersonOutcome[]> {
  const { compiled } = await store.currentModel(workspaceId);
  const result: PersonOutcome[] = [];
  for (const person of people) {
    const byEmail = await store.findLeadsByEmails(workspaceId, person.emails);
    const byVisitor = await Promise.all(person.visitors.map((v) => store.findLeadByVisitor(workspaceId, v)));
    const leads = [...byEmail.values(), ...byVisitor.filter((l) => l !== undefined)];
    const lead = leads[0]!;
    const scored = scoreAggregate(compiled, leadInput(lead), lead.aggregate, scoredAt);
    result.push({
      emails: person.emails,
      leadIds: new Set(leads.map((l) => l.id)).size,
      stage: lead.stage,
      score: scored.score,
      fit: scored.fit,
      engagement: scored.engagement,
      tier: scored.tier,
      grade: scored.grade,
    });
  }
  return result;
}
