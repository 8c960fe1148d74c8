import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MODEL, type LeadPatch, type LeadSummary } from '../../../shared';

export interface AppliedPatch {
  leadId: string;
  key: string;
  body: LeadPatch;
}

/**
 * A stand-in for the backend's rep API (the shapes of backend/src/routes/leads.ts) over a real socket, for the background's unit tests
 * (the real backend is exercised by test/e2e/extension.test.ts). It honours Idempotency-Key as
 * the real one promises: a replayed key answers the first result and applies nothing.
 */
export async function startFakeBackend(options: { token?: string; apiVersion?: string | number; leads?: LeadSummary[] } = {}) {
  const token = options.token ?? 'tok_good';
  const leads = new Map((options.leads ?? []).map((lead) => [lead.id, structuredClone(lead)]));
  const byKey = new Map<string, LeadSummary>();
  const state = {
    /** Every request line, in order. */
    requests: [] as string[],
    /** Patches applied, in order, once per idempotency key. */
    applied: [] as AppliedPatch[],
    /** Refuse connections (the backend is "down"). */
    down: false,
    /** Apply the next PATCH, then drop the connection before answering. */
    dropNextPatchResponse: false,
    leads,
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    return text ? JSON.parse(text) : undefined;
  };

  const server = createServer(async (req, res) => {
    if (state.down) return req.socket.destroy();
    const url = new URL(req.url!, 'http://x');
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: 'unauthorized', message: 'Bad token.' });
    if (url.pathname === '/api/me') return send(res, 200, { apiVersion: options.apiVersion ?? 1, workspace: { id: 'ws1', name: 'Acme Sales' }, role: 'rep', token: { id: 't1', label: null } });
    if (url.pathname === '/api/model') return send(res, 200, DEFAULT_MODEL);
    if (req.method === 'GET' && url.pathname === '/api/leads') {
      const all = [...leads.values()];
      const answer: Record<string, LeadSummary | null> = {};
      for (const email of url.searchParams.getAll('email').flatMap((e) => e.split(','))) answer[email] = all.find((l) => l.email?.toLowerCase() === email.toLowerCase()) ?? null;
      for (const profile of url.searchParams.getAll('linkedin')) answer[profile] = all.find((l) => l.linkedinUrl === profile) ?? null;
      return send(res, 200, { leads: answer });
    }
    const id = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    const lead = leads.get(id);
    if (req.method === 'PATCH' && lead) {
      const key = String(req.headers['idempotency-key']);
      const replay = byKey.get(key);
      if (replay) return send(res, 200, replay);
      const body = (await readBody(req)) as LeadPatch;
      state.applied.push({ leadId: id, key, body });
      if (body.linkedinUrl !== undefined) lead.linkedinUrl = body.linkedinUrl;
      lead.score = Math.min(100, lead.score + 1);
      lead.scoredAt = new Date().toISOString();
      byKey.set(key, structuredClone(lead));
      if (state.dropNextPatchResponse) {
        state.dropNextPatchResponse = false;
        return req.socket.destroy();
      }
      return send(res, 200, lead);
    }
    if (req.method === 'PATCH') return send(res, 404, { error: 'not_found', message: 'No such lead.' });
    return send(res, 404, { error: 'not_found', message: `No route for ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FakeBackend = Awaited<ReturnType<typeof startFakeBackend>>;
