import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { LeadSummary } from '../../shared';
import { ask } from '../ask';
import type { LeadKey } from '../keys';
import type { PagePerson, QueueStatus } from '../protocol';
import { LeadRow } from './LeadRow';
import { LinkProfile } from './LinkProfile';
import { peopleOnCurrentTab } from './tab';
import { TagForm } from './TagForm';

type View =
  | { kind: 'loading' }
  | { kind: 'unconfigured' }
  | { kind: 'list'; title: string; leads: LeadSummary[]; unlinked: PagePerson | null; error?: string };

/** The lead(s) on the current tab, else the top Hot leads; pick one to tag it. */
export function App({ search }: { search: URLSearchParams }) {
  const direct = search.get('lead');
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [selected, setSelected] = useState<string | null>(direct);
  const [queue, setQueue] = useState<QueueStatus | null>(null);

  useEffect(() => {
    void load(search).then(setView);
    void ask({ type: 'queue.status' }).then(setQueue, () => {});
  }, []);

  const refreshQueue = () => void ask({ type: 'queue.status' }).then(setQueue, () => {});
  const back = () => {
    setSelected(null);
    refreshQueue();
    void load(search).then(setView);
  };

  return (
    <main>
      <header class="top">
        <h1>leadscore</h1>
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      {selected ? (
        <TagForm leadId={selected} onBack={direct ? undefined : back} onSaved={refreshQueue} />
      ) : (
        <ListView view={view} onSelect={(lead) => setSelected(lead.id)} onLinked={(lead) => setSelected(lead.id)} />
      )}
      <QueueFooter queue={queue} />
    </main>
  );
}

async function load(search: URLSearchParams): Promise<View> {
  const settings = await ask({ type: 'settings.get' });
  if (!settings.hasToken) return { kind: 'unconfigured' };
  const page = await peopleOnCurrentTab(search);
  const people = page?.people ?? [];
  try {
    if (people.length) {
      const answer = await ask({ type: 'lookup', keys: people.map((p) => p.key) });
      const byId = new Map<string, LeadSummary>();
      for (const p of people) {
        const lead = answer[p.key];
        if (lead) byId.set(lead.id, lead);
      }
      const profile = people.find((p) => p.key.startsWith('li:')) ?? null;
      const unlinked = profile && answer[profile.key as LeadKey] === null ? profile : null;
      if (byId.size || unlinked) return { kind: 'list', title: 'On this page', leads: [...byId.values()], unlinked };
    }
    return { kind: 'list', title: 'Top Hot leads', leads: await ask({ type: 'lead.top', tier: 'Hot', limit: 10 }), unlinked: null };
  } catch (error) {
    return { kind: 'list', title: 'Leads', leads: [], unlinked: null, error: (error as Error).message };
  }
}

function ListView({ view, onSelect, onLinked }: { view: View; onSelect: (lead: LeadSummary) => void; onLinked: (lead: LeadSummary) => void }) {
  if (view.kind === 'loading') return <p class="muted">Loading…</p>;
  if (view.kind === 'unconfigured') {
    return (
      <p role="alert">
        Not connected yet.{' '}
        <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
          Set the backend URL and token
        </button>
      </p>
    );
  }
  return (
    <section aria-label={view.title}>
      {view.unlinked ? <LinkProfile profile={view.unlinked} onLinked={onLinked} /> : null}
      <h2>{view.title}</h2>
      {view.error ? <p role="alert" class="error">{view.error}</p> : null}
      {view.leads.length ? (
        <ul class="leads">
          {view.leads.map((lead) => (
            <LeadRow key={lead.id} lead={lead} onSelect={onSelect} />
          ))}
        </ul>
      ) : view.error ? null : (
        <p class="muted">No leads here.</p>
      )}
    </section>
  );
}

function QueueFooter({ queue }: { queue: QueueStatus | null }) {
  if (!queue || (!queue.pending.length && !queue.rejected.length)) return null;
  return (
    <footer class="queue" aria-live="polite">
      {queue.pending.length ? (
        <p class="queued">
          {queue.pending.length} edit{queue.pending.length === 1 ? '' : 's'} queued
          {queue.pending[0]?.lastError ? ` (${queue.pending[0].lastError})` : ''}
        </p>
      ) : null}
      {queue.rejected.map((r) => (
        <p key={r.seq} class="error">
          An edit was refused by the backend: {r.reason}
        </p>
      ))}
    </footer>
  );
}
