import { z } from 'zod';
import { ApiError, ApiVersionProbe, LeadDetail, LeadSummary, LookupResponse, ScoringModel, TopLeadsResponse, type LeadPatch, type NewLead } from '../../shared';
import type { StoredSettings } from './settings';

export type BackendErrorKind =
  | 'not_configured'
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rejected'
  | 'server'
  | 'bad_response';

/** Kinds that may succeed later without the request changing: the queue retries these. */
const RETRYABLE: ReadonlySet<BackendErrorKind> = new Set(['not_configured', 'unreachable', 'unauthorized', 'server', 'bad_response']);

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
    readonly body?: ApiError,
  ) {
    super(message);
    this.name = 'BackendError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** What GET /api/me answers, read only as far as the version: the caller checks it before the rest. */
const MeProbe = ApiVersionProbe.loose();

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 10_000;

function kindOf(status: number): BackendErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 429 || status >= 500) return 'server';
  return 'rejected';
}

/** The backend's rep API. Every answer is validated before anyone sees it. */
export class ApiClient {
  constructor(
    private readonly settings: () => Promise<StoredSettings>,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  me(): Promise<z.infer<typeof MeProbe>> {
    return this.request('GET', '/api/me', MeProbe);
  }

  /** One request for up to MAX_LOOKUP_PER_KIND addresses and as many profile URLs; the answer is keyed by what was sent. */
  async lookup(emails: string[], linkedinUrls: string[] = []): Promise<Record<string, LeadSummary | null>> {
    const query = [...(emails.length ? [`email=${emails.map(encodeURIComponent).join(',')}`] : []), ...linkedinUrls.map((url) => `linkedin=${encodeURIComponent(url)}`)];
    return (await this.request('GET', `/api/leads?${query.join('&')}`, LookupResponse)).leads;
  }

  async top(tier: string, limit: number): Promise<LeadSummary[]> {
    return (await this.request('GET', `/api/leads/top?tier=${encodeURIComponent(tier)}&limit=${limit}`, TopLeadsResponse)).leads;
  }

  detail(id: string): Promise<LeadDetail> {
    return this.request('GET', `/api/leads/${encodeURIComponent(id)}`, LeadDetail);
  }

  /** Replaying with the same key applies the patch at most once on the backend. */
  patch(id: string, patch: LeadPatch, idempotencyKey: string): Promise<LeadSummary> {
    return this.request('PATCH', `/api/leads/${encodeURIComponent(id)}`, LeadSummary, { body: patch, headers: { 'Idempotency-Key': idempotencyKey } });
  }

  create(lead: NewLead): Promise<LeadSummary> {
    return this.request('POST', '/api/leads', LeadSummary, { body: lead });
  }

  model(): Promise<ScoringModel> {
    return this.request('GET', '/api/model', ScoringModel);
  }

  private async request<T>(method: string, path: string, schema: z.ZodType<T>, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
    const { backendUrl, token } = await this.settings();
    if (!token) throw new BackendError('not_configured', 'No API token is set: open the extension options.');
    let response: Response;
    try {
      response = await this.fetchImpl(`${backendUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...options.headers },
        ...(options.body ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        credentials: 'omit',
      });
    } catch (error) {
      throw new BackendError('unreachable', `Could not reach ${backendUrl} (${(error as Error).message}).`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const body = ApiError.safeParse(json);
      const message = body.success ? body.data.message : `The backend answered ${response.status}.`;
      throw new BackendError(kindOf(response.status), message, response.status, body.success ? body.data : undefined);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new BackendError('bad_response', `Unexpected answer from ${method} ${path.split('?')[0]}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
}
