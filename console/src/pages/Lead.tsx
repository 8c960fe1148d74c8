import { useEffect, useState } from 'preact/hooks';
import type { LeadDetail, LeadPatch, LeadSummary } from '../../../shared/schemas/lead';
import { accountName, peopleEngagedText } from '../accounts';
import { api, messageOf } from '../api';
import { OUTCOMES, STAGES, TAGGABLE } from '../choices';
import { Breakdown } from '../Breakdown';
import { attributeValue, formatDate, valueText } from '../format';
import { accountHref, navigate } from '../router';
import { isAdmin } from '../session';

type TimelineEvent = LeadDetail['timeline']['events'][number];
const TIMELINE_PAGE = 25;

/** One lead: its score and why, what it did, what reps set, and the edits a rep (or admin) may make. */
export function Lead({ id }: { id: string }) {
  const [lead, setLead] = useState<LeadDetail | null>(null);
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const load = async () => {
    try {
      const detail = await api<LeadDetail>('GET', `/api/leads/${encodeURIComponent(id)}?limit=${TIMELINE_PAGE}`);
      setLead(detail);
      setEvents(detail.timeline.events);
      setNext(detail.timeline.nextCursor);
      setError('');
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  useEffect(() => void load(), [id]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await api<LeadDetail>('GET', `/api/leads/${encodeURIComponent(id)}?limit=${TIMELINE_PAGE}&cursor=${encodeURIComponent(next)}`);
      setEvents((shown) => [...shown, ...page.timeline.events]);
      setNext(page.timeline.nextCursor);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  /** A rep's edit; the lead is read again so every section shows the result. */
  const patch = async (change: LeadPatch, done: string) => {
    setNotice('');
    try {
      await api<LeadSummary>('PATCH', `/api/leads/${encodeURIComponent(id)}`, change);
      await load();
      setNotice(done);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  if (!lead)
    return error ? (
      <>
        <h1>Lead</h1>
        <p role="alert" class="error">{error}</p>
        <p><a href="#/leads">Back to the leads</a></p>
      </>
    ) : (
      <p aria-busy="true">Loading the lead…</p>
    );

  return (
    <>
      <p><a href="#/leads">← All leads</a></p>
      <h1>{lead.name ?? lead.email ?? lead.id}</h1>
      <p class="subtitle">
        {lead.email ?? 'no email'}
        {lead.linkedinUrl ? ` · ${lead.linkedinUrl}` : ''}
      </p>
      <div aria-live="polite">
        {error && <p role="alert" class="error">{error}</p>}
        {notice && <p class="notice">{notice}</p>}
      </div>

      <section aria-labelledby="score-h" class="card">
        <h2 id="score-h">Score {Math.round(lead.score)}</h2>
        <p>
          Tier <strong>{lead.tier}</strong> · grade <strong>{lead.grade}</strong> · stage <strong>{lead.stage}</strong> · outcome <strong>{lead.outcome ?? 'open'}</strong> · fit {Math.round(lead.fit)}, engagement {Math.round(lead.engagement)} · model v{lead.modelVersion}
        </p>
        <Breakdown lines={lead.breakdown} counted={lead} empty="No rule contributes to this score (or the lead awaits a rescore)." />
      </section>

      {lead.account && <AccountOfLead account={lead.account} />}

      <section aria-labelledby="milestones-h" class="card">
        <h2 id="milestones-h">Milestones</h2>
        {lead.milestones.length === 0 ? <p>None reached yet.</p> : (
          <ul>{lead.milestones.map((m) => <li key={m.ruleId}>{m.label} · {formatDate(m.at)}</li>)}</ul>
        )}
      </section>

      <Edits lead={lead} patch={patch} />

      <section aria-labelledby="attributes-h" class="card">
        <h2 id="attributes-h">Attributes</h2>
        {lead.attributes.length === 0 ? <p>No attributes yet.</p> : (
          <table>
            <thead><tr><th scope="col">Attribute</th><th scope="col">Value</th><th scope="col">Set by</th><th scope="col">When</th></tr></thead>
            <tbody>
              {lead.attributes.map((a) => (
                <tr key={a.key}><td>{a.key}</td><td>{valueText(a.value)}</td><td>{a.setBy}</td><td>{formatDate(a.setAt)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="stages-h" class="card">
        <h2 id="stages-h">Stage history</h2>
        {lead.stageHistory.length === 0 ? <p>No stage changes.</p> : (
          <ol>{lead.stageHistory.map((s, i) => <li key={i}>{s.from ?? 'new'} → {s.to} · {s.reason} · {formatDate(s.at)}</li>)}</ol>
        )}
      </section>

      <section aria-labelledby="timeline-h" class="card">
        <h2 id="timeline-h">Timeline</h2>
        {events.length === 0 ? <p>No events.</p> : (
          <ol class="timeline">
            {events.map((e) => (
              <li key={e.id}>
                <strong>{e.event}</strong> <span class="muted">({e.type}) · {formatDate(e.at)}</span>
                {Object.keys(e.properties).length > 0 && <pre>{JSON.stringify(e.properties, null, 2)}</pre>}
              </li>
            ))}
          </ol>
        )}
        {next && <button type="button" onClick={() => void more()}>Older events</button>}
      </section>

      <Merge lead={lead} merged={(name) => void load().then(() => setNotice(`Merged ${name} into this lead.`))} />

      {isAdmin() && <Erase lead={lead} />}
    </>
  );
}

/** The company the lead belongs to, with a link to its page. */
function AccountOfLead({ account }: { account: NonNullable<LeadDetail['account']> }) {
  return (
    <section aria-labelledby="account-h" class="card">
      <h2 id="account-h">Account</h2>
      <p>
        <a href={accountHref(account.id)}>{accountName(account)}</a> · <strong>{account.tier}</strong> account · score {Math.round(account.score)} · {peopleEngagedText(account.peopleEngaged)}
      </p>
    </section>
  );
}

/** Tag an attribute, rate, set the stage or the outcome. */
function Edits({ lead, patch }: { lead: LeadDetail; patch: (change: LeadPatch, done: string) => Promise<void> }) {
  const rating = lead.attributes.find((a) => a.key === 'rating')?.value;
  const submitTag = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const key = (form.elements.namedItem('key') as HTMLInputElement).value.trim();
    const value = (form.elements.namedItem('value') as HTMLInputElement).value;
    if (!key) return;
    void patch({ attributes: { [key]: value.trim() === '' ? null : attributeValue(value) } }, `Saved ${key}.`).then(() => form.reset());
  };
  return (
    <section aria-labelledby="edit-h" class="card">
      <h2 id="edit-h">Edit</h2>
      <form class="inline" onSubmit={submitTag}>
        <label>
          Attribute
          <input name="key" list="taggable" required autoComplete="off" />
          <datalist id="taggable">{TAGGABLE.map((k) => <option key={k} value={k} />)}</datalist>
        </label>
        <label>
          Value (empty removes it)
          <input name="value" autoComplete="off" />
        </label>
        <button type="submit">Tag</button>
      </form>
      <div class="inline">
        <label>
          Rating
          <select value={rating === undefined ? '' : String(rating)} onChange={(e) => void patch({ rating: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) }, 'Rating saved.')}>
            <option value="">Not rated</option>
            {Array.from({ length: 11 }, (_, n) => <option key={n} value={String(n)}>{n}</option>)}
          </select>
        </label>
        <label>
          Stage
          <select value={lead.stage} onChange={(e) => void patch({ stage: e.currentTarget.value as LeadDetail['stage'] }, 'Stage saved.')}>
            {STAGES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Outcome
          <select value={lead.outcome ?? ''} onChange={(e) => void patch({ outcome: e.currentTarget.value === '' ? null : (e.currentTarget.value as 'won' | 'lost') }, 'Outcome saved.')}>
            <option value="">Open</option>
            {OUTCOMES.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
      </div>
    </section>
  );
}

/**
 * An explicit merge (ingest never merges two known leads): find the other lead by its email,
 * show who it is, and merge it into this one only when confirmed.
 */
function Merge({ lead, merged }: { lead: LeadDetail; merged: (name: string) => void }) {
  const [other, setOther] = useState<LeadSummary | null>(null);
  const [error, setError] = useState('');
  const find = async (event: Event) => {
    event.preventDefault();
    const email = ((event.currentTarget as HTMLFormElement).elements.namedItem('email') as HTMLInputElement).value.trim();
    setError('');
    setOther(null);
    try {
      const { leads } = await api<{ leads: Record<string, LeadSummary | null> }>('GET', `/api/leads?email=${encodeURIComponent(email)}`);
      const found = leads[email] ?? null;
      if (!found) setError(`No lead has the email ${email}.`);
      else if (found.id === lead.id) setError('That is this lead.');
      else setOther(found);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const merge = async () => {
    if (!other) return;
    try {
      await api<LeadSummary>('POST', `/api/leads/${encodeURIComponent(lead.id)}/merge`, { other: other.id });
      setOther(null);
      merged(other.name ?? other.email ?? other.id);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section aria-labelledby="merge-h" class="card">
      <h2 id="merge-h">Merge a duplicate into this lead</h2>
      <form class="inline" onSubmit={(e) => void find(e)}>
        <label>
          The other lead's email
          <input name="email" type="email" required autoComplete="off" />
        </label>
        <button type="submit">Find</button>
      </form>
      {other && (
        <div role="group" aria-label="Confirm merge">
          <p>
            <strong>
              Merge {other.name ?? other.email} ({other.email ?? 'no email'}, score {Math.round(other.score)}) into {lead.name ?? lead.email ?? lead.id}?
            </strong>{' '}
            Its events and identities move here; this lead keeps its own values where both have one. The other lead is gone afterwards.
          </p>
          <button type="button" onClick={() => void merge()}>Yes, merge</button>{' '}
          <button type="button" onClick={() => setOther(null)}>Cancel</button>
        </div>
      )}
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}

/** Erase (GDPR): admin only, and only after a second, explicit confirmation. */
function Erase({ lead }: { lead: LeadDetail }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const erase = async () => {
    try {
      await api('DELETE', `/api/leads/${encodeURIComponent(lead.id)}`);
      navigate('#/leads');
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <section aria-labelledby="erase-h" class="card danger">
      <h2 id="erase-h">Erase this lead</h2>
      <p>Deletes the lead, its events, identities and history for good (a GDPR erasure). It cannot be undone.</p>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>Erase lead…</button>
      ) : (
        <div role="group" aria-label="Confirm erasure">
          <p><strong>Erase {lead.name ?? lead.email ?? lead.id} permanently?</strong></p>
          <button type="button" class="destructive" onClick={() => void erase()}>Yes, erase permanently</button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
      {error && <p role="alert" class="error">{error}</p>}
    </section>
  );
}
