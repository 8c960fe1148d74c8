import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_PORT } from '../../shared';
import { ask } from '../ask';
import type { ConnectionResult, Settings } from '../protocol';
import { ensureBackendPermission } from './permission';

type Status = { kind: 'idle' } | { kind: 'busy'; text: string } | { kind: 'result'; result: ConnectionResult } | { kind: 'error'; text: string };

/**
 * Backend URL and token. The token goes to the background once and is never shown again; the
 * connection check says what is wrong in words a rep can act on.
 */
export function Options() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [backendUrl, setBackendUrl] = useState('');
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    void ask({ type: 'settings.get' }).then((s) => {
      setSettings(s);
      setBackendUrl(s.backendUrl);
    });
  }, []);

  const validUrl = /^https?:\/\/[^\s/]+/.test(backendUrl.trim());
  // The form appears once the saved settings are in, so they never overwrite what the rep types.
  if (!settings) return <main aria-busy="true" />;

  const save = async (e: Event) => {
    e.preventDefault();
    const url = backendUrl.trim();
    if (!(await ensureBackendPermission(url))) return setStatus({ kind: 'error', text: `Without access to ${new URL(url).origin} the extension cannot reach the backend.` });
    setStatus({ kind: 'busy', text: 'Saving…' });
    try {
      const saved = await ask({ type: 'settings.save', backendUrl: url, ...(token ? { token } : {}) });
      setSettings(saved);
      setToken('');
      setStatus({ kind: 'result', result: await ask({ type: 'connection.test' }) });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    }
  };

  const test = async () => {
    const url = backendUrl.trim();
    // A refusal is reported by the check itself (problem "no_permission").
    await ensureBackendPermission(url);
    setStatus({ kind: 'busy', text: 'Testing…' });
    try {
      setStatus({ kind: 'result', result: await ask({ type: 'connection.test', backendUrl: url, ...(token ? { token } : {}) }) });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    }
  };

  return (
    <main>
      <h1>leadscore</h1>
      <form onSubmit={save}>
        <label>
          Backend URL
          <input type="url" required value={backendUrl} onInput={(e) => setBackendUrl(e.currentTarget.value)} placeholder={`http://localhost:${DEFAULT_PORT}`} />
        </label>
        <label>
          API token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
            placeholder={settings?.hasToken ? 'saved (leave empty to keep it)' : 'paste the token from `npm run leadscore -- token create`'}
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary" disabled={!validUrl}>
            Save
          </button>
          <button type="button" disabled={!validUrl} onClick={() => void test()}>
            Test connection
          </button>
        </div>
      </form>
      <StatusLine status={status} />
    </main>
  );
}

function StatusLine({ status }: { status: Status }) {
  if (status.kind === 'idle') return null;
  if (status.kind === 'busy') return <p role="status">{status.text}</p>;
  if (status.kind === 'error') return <p role="alert" class="error">{status.text}</p>;
  const { result } = status;
  if (result.ok) {
    return (
      <p role="status" class="ok" data-problem="none">
        Connected to workspace “{result.workspace}” as {result.role} (API version {result.apiVersion}).
      </p>
    );
  }
  return (
    <p role="alert" class="error" data-problem={result.problem}>
      {result.message}
    </p>
  );
}
