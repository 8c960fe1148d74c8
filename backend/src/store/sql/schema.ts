import type { Generated, Kysely } from 'kysely';

/**
 * The tables as Kysely sees them. Times are epoch milliseconds; JSON is stored as text so the
 * same columns work on SQLite and PostgreSQL.
 */
export interface Database {
  workspaces: { id: string; name: string; link_secret: string; created_at: number };
  sites: { id: string; workspace_id: string; key: string; origins: string; created_at: number };
  tokens: {
    id: string;
    workspace_id: string;
    role: string;
    label: string | null;
    hash: string;
    created_at: number;
    revoked_at: number | null;
  };
  models: { workspace_id: string; version: number; body: string; created_by: string; created_at: number };
  leads: {
    id: string;
    workspace_id: string;
    email: string | null;
    name: string | null;
    linkedin_url: string | null;
    /** JSON: { key: { value, setBy, setAt } }. */
    attributes: string;
    stage: string;
    outcome: string | null;
    /** When the outcome happened (epoch ms); null without an outcome or when it was never given. */
    outcome_at: number | null;
    /** JSON: the engine's LeadAggregate (it names the model fingerprint it was built for). */
    aggregate: string;
    score: number;
    fit: number;
    engagement: number;
    tier: string;
    grade: string;
    scored_at: number;
    /** The model version that last scored the lead (a rescore job moves leads to its version). */
    model_version: number;
    created_at: number;
    updated_at: number;
    /** The challenger's score and tier for the lead (never shown on badges; lead rows that never name them, see LeadRow, leave them alone); null without a challenger or before its job reached the lead. */
    shadow_score: number | null;
    shadow_tier: string | null;
    /** JSON: the challenger's LeadAggregate (it names the challenger's fingerprint). */
    shadow_aggregate: string | null;
    /** The lead's account (see domain/account-key.ts); null when it has none. */
    account_id: string | null;
  };
  /** Companies: the people of one business domain or company name, scored together (store/accounts/). */
  accounts: {
    id: string;
    workspace_id: string;
    /** `domain:acme.com` or `name:acme robotics`, unique per workspace. */
    key: string;
    domain: string | null;
    name: string | null;
    /** JSON: { key: value }, the attributes account fit rules read. */
    attributes: string;
    score: number;
    fit: number;
    engagement: number;
    tier: string;
    people: number;
    people_engaged: number;
    /** JSON: the BreakdownLine[] of the last roll-up. */
    breakdown: string;
    scored_at: number;
    created_at: number;
  };
  /** One challenger model per workspace (champion / challenger); see store/challenger/. */
  challengers: { workspace_id: string; id: string; body: string; started_at: number; created_by: string };
  jobs: {
    id: string;
    workspace_id: string;
    /** 'rescore': move every lead of the workspace to `model_version`. */
    kind: string;
    model_version: number;
    /** queued | running | done | failed | superseded */
    state: string;
    done: number;
    total: number;
    error: string | null;
    /** How many times an instance took the job (more than one: it was taken over). */
    attempts: number;
    /** The instance running the job, until `leased_until` (epoch ms); an expired lease may be taken. */
    leased_by: string | null;
    leased_until: number | null;
    created_at: number;
    started_at: number | null;
    finished_at: number | null;
  };
  identities: { workspace_id: string; kind: string; value: string; lead_id: string };
  events: {
    id: Generated<number>;
    workspace_id: string;
    site_id: string;
    message_id: string;
    type: string;
    /** The name the event is scored under (see `scorableName`). */
    name: string;
    anonymous_id: string | null;
    user_id: string | null;
    /** `eventActor`: with message_id, what makes an event unique in its workspace and site. */
    actor: string;
    lead_id: string | null;
    /** JSON object or null when empty. */
    properties: string | null;
    context: string | null;
    at: number;
    received_at: number;
  };
  stage_changes: {
    id: Generated<number>;
    lead_id: string;
    from_stage: string | null;
    to_stage: string;
    reason: string;
    at: number;
  };
  attribute_history: {
    id: Generated<number>;
    lead_id: string;
    key: string;
    /** JSON of the value; null when the attribute was removed. */
    value: string | null;
    set_by: string;
    at: number;
  };
  idempotency_keys: { workspace_id: string; key: string; request_hash: string; lead_id: string; created_at: number };
  settings: { key: string; value: string };
  /** The console's sessions: a cookie's hash, the token it was signed in with, and when it was last used. */
  console_sessions: { hash: string; token_id: string; created_at: number; last_seen_at: number };
  webhook_endpoints: {
    id: string;
    workspace_id: string;
    url: string;
    /** JSON array of event types. */
    events: string;
    /** JSON array of { secret: whsec_..., expiresAt }, newest first (see webhook-store.ts). */
    secrets: string;
    created_at: number;
    disabled_at: number | null;
    disabled_reason: string | null;
    failing_since: number | null;
  };
  webhook_messages: {
    id: Generated<number>;
    message_id: string;
    workspace_id: string;
    lead_id: string | null;
    type: string;
    payload: string;
    created_at: number;
  };
  webhook_deliveries: {
    id: Generated<number>;
    endpoint_id: string;
    message_seq: number;
    message_id: string;
    order_key: string;
    /** pending | delivered | failed */
    state: string;
    attempts: number;
    next_attempt_at: number;
    last_attempt_at: number | null;
    last_status: number | null;
    last_error: string | null;
    delivered_at: number | null;
    leased_by: string | null;
    leased_until: number | null;
    created_at: number;
  };
}

/** A connection or transaction on the leadscore schema, whichever dialect. */
export type Db = Kysely<Database>;
