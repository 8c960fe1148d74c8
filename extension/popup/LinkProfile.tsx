import { useState } from 'preact/hooks';
import type { LeadSummary } from '../../shared';
import { ask } from '../ask';
import { isEmail, parseKey, type LeadKey } from '../keys';
import type { PagePerson } from '../protocol';

/** Links the LinkedIn profile open in the tab to the lead with this email (creating it if needed). */
export function LinkProfile({ profile, onLinked }: { profile: PagePerson & { key: LeadKey }; onLinked: (lead: LeadSummary) => void }) {
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'queued'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { linkedinUrl } = parseKey(profile.key) as { linkedinUrl: string };

  const link = async (e: Event) => {
    e.preventDefault();
    if (!isEmail(email.trim())) return setMessage({ kind: 'error', text: 'Enter the lead’s email address.' });
    setBusy(true);
    setMessage(null);
    try {
      const result = await ask({ type: 'lead.link', linkedinUrl, email: email.trim(), ...(profile.name ? { name: profile.name } : {}) });
      if (result.state === 'saved') onLinked(result.lead);
      else if (result.state === 'queued') setMessage({ kind: 'queued', text: 'Queued: the link is saved when the backend is reachable.' });
      else setMessage({ kind: 'error', text: result.reason });
    } catch (err) {
      setMessage({ kind: 'error', text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="link-profile" onSubmit={link} aria-label="Link this LinkedIn profile">
      <p>
        <strong>{profile.name ?? 'This profile'}</strong> is not linked to a lead.
        {profile.headline ? <span class="muted"> {profile.headline}</span> : null}
      </p>
      <label>
        Lead email
        <input type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} placeholder="name@company.com" />
      </label>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Link profile
        </button>
        {message ? (
          <span role={message.kind === 'error' ? 'alert' : 'status'} class={message.kind}>
            {message.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
