import { useEffect, useState } from 'preact/hooks';
import type { CreatedToken, SitesResponse, SiteView, TokensResponse } from '../../../shared/schemas/settings';
import type { Webhook, WebhookCreated, WebhookEventType, WebhookList } from '../../../shared/schemas/webhooks';
import { api, messageOf } from '../api';
import { formatDate } from '../format';
import { trackerSnippet } from '../../../shared/tracker-snippet';

/** Sites (key, allowed origins, the snippet), tokens and webhooks (created, secret shown once; removed). Admin only. */
export function Settings() {
  return (
    <>
      <h1>Settings</h1>
      <Sites />
      <Tokens />
      <Webhooks />
    </>
  );
}

function Sites() {
  const [sites, setSites] = useState<SiteView[] | null>(null);
  const [error, setError] = useState('');
  const load = () => api<SitesResponse>('GET', '/api/sites').then((r) => setSites(r.sites), (e) => setError(messageOf(e)));
  useEffect(() => void load(), []);

  const addOrigin = async (event: Event, key: string | null) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const origin = (form.elements.namedItem('origin') as HTMLInputElement).value.trim();
    setError('');
    try {
      await api('POST', key ? `/api/sites/${encodeURIComponent(key)}/origins` : '/api/sites', { origins: [origin] });
      form.reset();
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="sites-h" class="card">
      <h2 id="sites-h">Sites</h2>
      {error && <p role="alert" class="error">{error}</p>}
      {sites === null ? <p aria-busy="true">Loading…</p> : sites.map((site) => (
        <article key={site.key} class="site" aria-label={`Site ${site.key}`}>
          <h3>{site.key}</h3>
          <p>Allowed origins: {site.origins.join(', ') || 'none'}</p>
          <label>
            Snippet for the site's &lt;head&gt;
            <textarea readOnly rows={2} value={trackerSnippet(location.origin, site.key)} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <form class="inline" onSubmit={(e) => void addOrigin(e, site.key)}>
            <label>
              Allow another origin
              <input name="origin" type="url" required placeholder="https://www.example.com" />
            </label>
            <button type="submit">Allow</button>
          </form>
        </article>
      ))}
      <form class="inline" onSubmit={(e) => void addOrigin(e, null)}>
        <label>
          New site for origin
          <input name="origin" type="url" required placeholder="https://www.example.com" />
        </label>
        <button type="submit">Create site</button>
      </form>
    </section>
  );
}

function Tokens() {
  const [tokens, setTokens] = useState<TokensResponse['tokens'] | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [error, setError] = useState('');
  const load = () => api<TokensResponse>('GET', '/api/tokens').then((r) => setTokens(r.tokens), (e) => setError(messageOf(e)));
  useEffect(() => void load(), []);

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const role = (form.elements.namedItem('role') as HTMLSelectElement).value;
    const label = (form.elements.namedItem('label') as HTMLInputElement).value.trim();
    setError('');
    try {
      setCreated(await api<CreatedToken>('POST', '/api/tokens', { role, label: label || null }));
      form.reset();
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const revoke = async (id: string) => {
    setError('');
    try {
      await api('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="tokens-h" class="card">
      <h2 id="tokens-h">Tokens</h2>
      {error && <p role="alert" class="error">{error}</p>}
      {created && (
        <div class="notice" role="status">
          <p>
            New {created.role} token {created.label ? `"${created.label}"` : created.id}. Copy it now: it is shown only once.
          </p>
          <label>
            Token
            <input readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      {tokens === null ? <p aria-busy="true">Loading…</p> : (
        <table>
          <thead><tr><th scope="col">Token</th><th scope="col">Role</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td>
                <td>{t.role}</td>
                <td>{t.label ?? '—'}</td>
                <td>{formatDate(t.createdAt)}</td>
                <td>
                  {t.revokedAt ? `revoked ${formatDate(t.revokedAt)}` : (
                    <button type="button" onClick={() => void revoke(t.id)} aria-label={`Revoke ${t.label ?? t.id}`}>Revoke</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline" onSubmit={(e) => void create(e)}>
        <label>
          Role
          <select name="role">
            <option value="rep">rep</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Label
          <input name="label" maxLength={100} placeholder="e.g. Dana's laptop" />
        </label>
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}

/** Every webhook event, with how the form names it; typed against the schema, so a new event fails the build until it is listed. */
const EVENT_LABELS = {
  'lead.tier_changed': 'A lead changes tier',
  'lead.stage_changed': 'A lead changes stage',
  'lead.outcome_recorded': 'An outcome is recorded',
  'lead.merged': 'Two leads are merged',
  'lead.erased': 'A lead is erased',
  'model.changed': 'The model changes',
  'account.tier_changed': 'An account changes tier',
} satisfies Record<WebhookEventType, string>;

function Webhooks() {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [error, setError] = useState('');
  const load = () => api<WebhookList>('GET', '/api/webhooks').then((r) => setWebhooks(r.webhooks), (e) => setError(messageOf(e)));
  useEffect(() => void load(), []);

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const url = (form.elements.namedItem('url') as HTMLInputElement).value.trim();
    const events = Object.keys(EVENT_LABELS).filter((name) => (form.elements.namedItem(name) as HTMLInputElement).checked);
    setError('');
    try {
      setCreated(await api<WebhookCreated>('POST', '/api/webhooks', { url, events }));
      form.reset();
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  const remove = async (id: string) => {
    setError('');
    try {
      await api('DELETE', `/api/webhooks/${encodeURIComponent(id)}`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <section aria-labelledby="webhooks-h" class="card">
      <h2 id="webhooks-h">Webhooks</h2>
      <p>Signed by the Standard Webhooks spec; see the API docs for the payloads and how to verify them.</p>
      {error && <p role="alert" class="error">{error}</p>}
      {created && (
        <div class="notice" role="status">
          <p>Webhook to {created.url} created. Copy its signing secret now: it is shown only once.</p>
          <label>
            Signing secret
            <input readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <button type="button" onClick={() => setCreated(null)}>Done</button>
        </div>
      )}
      {webhooks === null ? <p aria-busy="true">Loading…</p> : webhooks.length === 0 ? <p>No webhooks yet.</p> : (
        <table>
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td>{w.url}</td>
                <td>{w.events.join(', ')}</td>
                <td>{formatDate(w.createdAt)}</td>
                <td>{w.disabledAt ? `disabled ${formatDate(w.disabledAt)}: ${w.disabledReason ?? ''}` : w.failingSince ? `failing since ${formatDate(w.failingSince)}` : 'active'}</td>
                <td><button type="button" onClick={() => void remove(w.id)} aria-label={`Remove the webhook to ${w.url}`}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={(e) => void create(e)}>
        <label>
          Receiver URL
          <input name="url" type="url" required placeholder="https://crm.example.com/hooks/leadscore" />
        </label>
        <fieldset>
          <legend>Send when</legend>
          {Object.entries(EVENT_LABELS).map(([name, label]) => (
            <label key={name} class="check">
              <input type="checkbox" name={name} defaultChecked={name === 'lead.tier_changed'} /> {label}
            </label>
          ))}
        </fieldset>
        <button type="submit">Add webhook</button>
      </form>
    </section>
  );
}
