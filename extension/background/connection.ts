import { z } from 'zod';
import { API_VERSION, MeResponse } from '../../shared';
import type { ConnectionResult } from '../protocol';
import { ApiClient, BackendError, type Fetch } from './api';

export interface ConnectionTarget {
  backendUrl: string;
  token: string | null;
  /** Whether the extension may contact the backend's origin (host permission). */
  permitted: boolean;
}

/** GET /api/me with the given URL and token, and a sentence a rep can act on when it fails. */
export async function testConnection(target: ConnectionTarget, fetchImpl?: Fetch): Promise<ConnectionResult> {
  const { backendUrl, token } = target;
  if (!token) return { ok: false, problem: 'not_configured', message: 'Enter an API token (create one with `npm run leadscore -- token create`).' };
  if (!target.permitted) return { ok: false, problem: 'no_permission', message: `The extension is not allowed to contact ${new URL(backendUrl).origin}: save again and allow access when asked.` };
  try {
    const answer = await new ApiClient(async () => ({ backendUrl, token }), fetchImpl).me();
    const major = Number(String(answer.apiVersion).split('.')[0]);
    if (major !== API_VERSION) {
      return { ok: false, problem: 'wrong_version', message: `The backend speaks API version ${answer.apiVersion}; this extension needs version ${API_VERSION}. Update the ${major > API_VERSION ? 'extension' : 'backend'}.` };
    }
    const me = MeResponse.safeParse(answer);
    if (!me.success) return { ok: false, problem: 'bad_response', message: `Unexpected answer from GET /api/me: ${z.prettifyError(me.error)}` };
    return { ok: true, workspace: me.data.workspace.name, role: me.data.role, apiVersion: me.data.apiVersion };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    if (error.kind === 'unreachable') return { ok: false, problem: 'unreachable', message: `Could not reach ${backendUrl}. Is the backend running (\`npm start\`) and is the URL right?` };
    if (error.kind === 'unauthorized') return { ok: false, problem: 'bad_token', message: 'The backend refused this token: it is wrong, revoked or for another backend.' };
    if (error.kind === 'forbidden') return { ok: false, problem: 'forbidden', message: `This token may not use the rep API: ${error.message}` };
    if (error.kind === 'not_found') return { ok: false, problem: 'wrong_version', message: `${backendUrl} has no /api/me: it is not a leadscore backend, or a version without the rep API.` };
    return { ok: false, problem: 'bad_response', message: error.message };
  }
}
