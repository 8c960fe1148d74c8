import { signal } from '@preact/signals';
import type { MeResponse } from '../../shared/schemas/api';
import { api, whenSignedOut } from './api';

/** Who is signed in: undefined while the first check runs, null when nobody is. */
export const me = signal<MeResponse | null | undefined>(undefined);

export const isAdmin = () => me.value?.role === 'admin';

whenSignedOut(() => (me.value = null));

/** Asks the backend whether the session cookie (if any) is still valid. */
export async function checkSession(): Promise<void> {
  try {
    me.value = await api<MeResponse>('GET', '/api/me');
  } catch {
    me.value = null;
  }
}

/** Exchanges the token for a session cookie; the token is not kept anywhere on the page. */
export async function signIn(token: string): Promise<void> {
  me.value = await api<MeResponse>('POST', '/api/session', { token });
}

export async function signOut(): Promise<void> {
  await api('DELETE', '/api/session').catch(() => {});
  me.value = null;
}
