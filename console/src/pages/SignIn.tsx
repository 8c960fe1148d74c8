import { useState } from 'preact/hooks';
import { messageOf } from '../api';
import { signIn } from '../session';

/**
 * A token in, a session cookie out. The field is cleared as soon as it is sent: the token lives
 * only in the request, never in page storage.
 */
export function SignIn() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = form.elements.namedItem('token') as HTMLInputElement;
    const token = field.value.trim();
    field.value = '';
    if (!token) return setError('Paste a token first.');
    setBusy(true);
    setError('');
    try {
      await signIn(token);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page signin">
      <h1>Sign in to the leadscore console</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" spellcheck={false} required placeholder="ls_admin_… or ls_rep_…" />
        <p id="signin-help" class="hint">
          A rep or admin token (<code>npm run leadscore -- token create</code>). It is exchanged for a session that ends after 12 hours unused.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
