import type { LeadSummary, ScoringModel } from '../../../shared/index';
import type { BackendProcess } from './backend-process';

/** What the hostile lead carries in its name and in a milestone label: it must stay text. */
export const HOSTILE = '<img src=x onerror="window.__leadscorePwned=1">';

export interface Seeded {
  repToken: string;
  adminToken: string;
  siteKey: string;
  leads: Record<'alice' | 'bob' | 'carol' | 'jane' | 'evil', LeadSummary>;
}

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
let n = 0;
const id = () => `seed-${Date.now()}-${n++}`;

function identify(email: string, traits: Record<string, unknown>) {
  return { type: 'identify', messageId: id(), timestamp: ago(20 * DAY), userId: email, traits: { email, ...traits } };
}
function track(email: string, event: string, age: number, properties: Record<string, unknown> = {}) {
  return { type: 'track', messageId: id(), timestamp: ago(age), userId: email, event, properties };
}

/**
 * A workspace with a site and tokens (through the CLI, as an operator would), a model with one
 * milestone whose label is hostile HTML (through the admin API), and leads with engagement
 * (through the Segment-compatible ingest API with the site key).
 */
export async function seed(backend: BackendProcess): Promise<Seeded> {
  const workspace = await backend.cli<{ id: string }>('workspace', 'create', 'Acme Sales');
  const site = await backend.cli<{ key: string }>('site', 'create', '--workspace', workspace.id, '--origin', 'https://www.acme.example');
  const rep = await backend.cli<{ token: string }>('token', 'create', '--workspace', workspace.id, '--role', 'rep', '--label', 'e2e rep');
  const admin = await backend.cli<{ token: string }>('token', 'create', '--workspace', workspace.id, '--role', 'admin', '--label', 'e2e admin');
  await backend.start();
  const asAdmin = `Bearer ${admin.token}`;
  const asRep = `Bearer ${rep.token}`;

  const model = await backend.request<ScoringModel>('GET', '/api/model', asAdmin);
  model.version += 1;
  model.engagement.rules.push({ id: 'hostile-milestone', label: HOSTILE, event: 'Hostile Event', points: 5, milestone: true });
  await backend.request('PUT', '/api/model', asAdmin, model);

  const batch = [
    identify('alice@acme.example', { name: 'Alice Example', title: 'VP Sales', industry: 'Software', employees: 400 }),
    track('alice@acme.example', 'Webinar Registered', 10 * DAY),
    track('alice@acme.example', 'Webinar Attended', 2 * DAY),
    track('alice@acme.example', 'Email Opened', 3 * DAY),
    track('alice@acme.example', 'Demo Requested', DAY),
    identify('bob@acme.example', { name: 'Bob Builder', title: 'Engineer' }),
    track('bob@acme.example', 'Email Opened', 4 * DAY),
    track('bob@acme.example', 'Email Link Clicked', 4 * DAY),
    identify('carol@client.example', { name: 'Carol Client', title: 'Head of Operations', industry: 'Logistics' }),
    track('carol@client.example', 'Webinar Registered', 5 * DAY),
    identify('jane@globex.example', { name: 'Jane Doe', title: 'VP Sales', industry: 'SaaS' }),
    track('jane@globex.example', 'Webinar Attended', 6 * DAY),
    identify('evil@evil-corp.example', { name: HOSTILE }),
    track('evil@evil-corp.example', 'Hostile Event', 3_600_000),
  ];
  await backend.request('POST', '/v1/batch', `Basic ${Buffer.from(`${site.key}:`).toString('base64')}`, { batch });

  const emails = ['alice@acme.example', 'bob@acme.example', 'carol@client.example', 'jane@globex.example', 'evil@evil-corp.example'];
  const { leads } = await backend.request<{ leads: Record<string, LeadSummary | null> }>('GET', `/api/leads?email=${emails.join(',')}`, asRep);
  const [alice, bob, carol, jane, evil] = emails.map((email) => {
    const lead = leads[email];
    if (!lead) throw new Error(`seeding did not create a lead for ${email}`);
    return lead;
  }) as [LeadSummary, LeadSummary, LeadSummary, LeadSummary, LeadSummary];
  const linkedJane = await backend.request<LeadSummary>('PATCH', `/api/leads/${jane.id}`, asRep, { linkedinUrl: 'https://www.linkedin.com/in/jane-doe' });
  // A rep already qualified Alice: she is clearly Hot.
  const hotAlice = await backend.request<LeadSummary>('PATCH', `/api/leads/${alice.id}`, asRep, { attributes: { budget: true, decisionMaker: true } });
  return { repToken: rep.token, adminToken: admin.token, siteKey: site.key, leads: { alice: hotAlice, bob, carol, jane: linkedJane, evil } };
}
