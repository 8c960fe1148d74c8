import { z, type ZodType } from 'zod';
import {
  BacktestReport,
  BacktestRequest,
  ChallengerReport,
  ChallengerResponse,
  CollectBatch,
  ConversionReport,
  EraseResponse,
  HealthResponse,
  IngestResponse,
  LearnRequest,
  LearnResponse,
  Job,
  LeadDetail,
  LeadMerge,
  LeadPatch,
  LeadSummary,
  LookupResponse,
  MAX_REPORT_ATTRIBUTES,
  MAX_REPORT_GROUPS,
  MAX_LOOKUP_PER_KIND,
  MAX_TIMELINE_PAGE,
  MAX_TOP_LEADS,
  MeResponse,
  ModelPutResponse,
  NewLead,
  ScoringModel,
  SegmentResponse,
  TopLeadsResponse,
  TrackedEvent,
} from '../../../shared/index';

export type Security = 'bearer' | 'admin' | 'writeKey' | 'signed' | 'none';

export interface Param {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description: string;
  schema?: Record<string, unknown>;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  tag: 'Ingest' | 'Email' | 'Rep API' | 'Admin API' | 'Service';
  summary: string;
  description: string;
  security: Security;
  params?: Param[];
  body?: { schema: ZodType; contentType: string; example: unknown };
  response: { status: number; description: string; schema?: ZodType; contentType?: string };
  /** The 4xx statuses this route can answer (body: ApiError). */
  errors: number[];
  /** A curl command; $BASE, $TOKEN, $ADMIN_TOKEN and $SITE_KEY are placeholders. */
  example: string;
}

const str = { type: 'string' };
const idParam: Param = { name: 'id', in: 'path', required: true, description: 'The lead id (ld_...).', schema: str };
const idempotencyKey: Param = {
  name: 'Idempotency-Key',
  in: 'header',
  description: 'Any unique string (e.g. a UUID). A retry with the same key and body is applied once; the lead is returned as it is now, with the header Idempotent-Replayed: true.',
  schema: str,
};

const exampleEvent = { type: 'track', messageId: '0b7e2c3e-6b1f-4d4c-9a55-2f1c7f3e9a10', timestamp: '2025-05-01T09:30:00.000Z', anonymousId: 'v-5f1c', event: 'Webinar Registered', properties: { webinar: 'Scoring 101' } };
const SEGMENT_EXAMPLES = {
  track: '{"userId":"ann@acme.com","event":"Demo Requested","messageId":"m-3"}',
  identify: '{"userId":"ann@acme.com","traits":{"name":"Ann Lee","title":"VP Sales"}}',
  page: '{"anonymousId":"v-1","name":"Pricing","properties":{"path":"/pricing"}}',
  alias: '{"previousId":"v-1","userId":"ann@acme.com"}',
  screen: '{"userId":"ann@acme.com","name":"Home"}',
  group: '{"userId":"ann@acme.com","groupId":"acme"}',
};
const exampleModelNote = 'The body is a whole scoring model (see docs/scoring-model.schema.json); its version is replaced by the next version number.';

export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/collect',
    tag: 'Ingest',
    summary: 'Receive a batch of events from the tracker',
    description:
      "The tracker's endpoint. JSON sent as text/plain (no CORS preflight). The page's Origin must be one of the site's allowed origins; responses carry CORS headers for it. A batch is validated whole (400 lists every problem, nothing is stored), stored in one transaction, and only then answered 202. Events are stored once per messageId, visitor (anonymousId, else userId) and site, so retries are safe. Rate limited per client address and per site (429 with Retry-After).",
    security: 'none',
    body: { schema: CollectBatch, contentType: 'text/plain', example: { siteKey: 'pk_...', sentAt: '2025-05-01T09:30:01.000Z', batch: [exampleEvent] } },
    response: { status: 202, description: 'Committed. `duplicates` counts events already stored (retries).', schema: IngestResponse },
    errors: [400, 403, 413, 429],
    example: `curl -X POST $BASE/collect -H 'Origin: https://www.example.com' -H 'Content-Type: text/plain' \\\n  -d '{"siteKey":"'$SITE_KEY'","batch":[{"type":"page","messageId":"m-1","timestamp":"2025-05-01T09:30:00Z","anonymousId":"v-1","context":{"page":{"path":"/pricing"}}}]}'`,
  },
  {
    method: 'post',
    path: '/v1/batch',
    tag: 'Ingest',
    summary: 'Segment-compatible batch',
    description:
      "Segment's HTTP tracking API, so Segment-compatible SDKs can send here (point their host at this backend). HTTP Basic auth: the site key as user name, empty password (or `writeKey` in the body). `screen` and `group` calls are accepted and ignored. A missing messageId or timestamp gets Segment's default (a new id; the batch's sentAt). Calls with an Origin header must come from an allowed origin.",
    security: 'writeKey',
    body: { schema: z.object({ batch: z.array(TrackedEvent), sentAt: z.iso.datetime().optional() }), contentType: 'application/json', example: { batch: [exampleEvent] } },
    response: { status: 200, description: 'Committed.', schema: SegmentResponse },
    errors: [400, 401, 403, 413, 429],
    example: `curl -X POST $BASE/v1/batch -u "$SITE_KEY:" -H 'Content-Type: application/json' \\\n  -d '{"batch":[{"type":"track","event":"Webinar Attended","userId":"ann@acme.com","messageId":"m-2","timestamp":"2025-05-01T10:00:00Z"}]}'`,
  },
  ...(['track', 'identify', 'page', 'alias', 'screen', 'group'] as const).map(
    (type): Operation => ({
      method: 'post',
      path: `/v1/${type}`,
      tag: 'Ingest',
      summary: `Segment-compatible ${type} call`,
      description:
        type === 'screen' || type === 'group'
          ? `Accepted so that a Segment source can send it, and ignored (counted in \`ignored\`): leadscore scores people from web engagement.`
          : `One ${type} event, as Segment's /v1/${type}; same auth and rules as /v1/batch.`,
      security: 'writeKey',
      body: { schema: TrackedEvent, contentType: 'application/json', example: { ...exampleEvent, type } },
      response: { status: 200, description: 'Committed.', schema: SegmentResponse },
      errors: [400, 401, 403, 413, 429],
      example: `curl -X POST $BASE/v1/${type} -u "$SITE_KEY:" -H 'Content-Type: application/json' \\\n  -d '${SEGMENT_EXAMPLES[type]}'`,
    }),
  ),
  {
    method: 'get',
    path: '/email/open',
    tag: 'Email',
    summary: 'Email open pixel',
    description: 'A 1x1 GIF that records "Email Opened" for the recipient. Links are made by `npm run leadscore -- email-link` and signed (HMAC-SHA256 with a secret stored in the database); a bad signature is refused.',
    security: 'signed',
    params: [
      { name: 's', in: 'query', required: true, description: 'Site key.', schema: str },
      { name: 'e', in: 'query', required: true, description: 'Recipient email.', schema: str },
      { name: 'c', in: 'query', description: 'Campaign (optional).', schema: str },
      { name: 'sig', in: 'query', required: true, description: 'Signature of all the other parameters.', schema: str },
    ],
    response: { status: 200, description: 'The pixel.', contentType: 'image/gif' },
    errors: [400, 429],
    example: `curl "$(npm run -s leadscore -- email-link --site $SITE_KEY --email ann@acme.com --json | jq -r .openPixelUrl)"`,
  },
  {
    method: 'get',
    path: '/email/click',
    tag: 'Email',
    summary: 'Signed email click redirect',
    description: 'Records "Email Link Clicked" (property url) and redirects to `u`. The signature covers the target, so the backend never redirects anywhere it did not sign: a changed target is a 400, not a redirect.',
    security: 'signed',
    params: [
      { name: 's', in: 'query', required: true, description: 'Site key.', schema: str },
      { name: 'e', in: 'query', required: true, description: 'Recipient email.', schema: str },
      { name: 'u', in: 'query', required: true, description: 'Target URL (http or https).', schema: str },
      { name: 'c', in: 'query', description: 'Campaign (optional).', schema: str },
      { name: 'sig', in: 'query', required: true, description: 'Signature of all the other parameters.', schema: str },
    ],
    response: { status: 302, description: 'Redirect to the signed target.' },
    errors: [400, 429],
    example: `curl -i "$(npm run -s leadscore -- email-link --site $SITE_KEY --email ann@acme.com --url https://example.com/offer --json | jq -r .clickUrl)"`,
  },
  {
    method: 'get',
    path: '/api/me',
    tag: 'Rep API',
    summary: 'Who am I (test connection)',
    description: "The token's workspace and role, and the API version. The extension's connection check calls this.",
    security: 'bearer',
    response: { status: 200, description: 'The token is valid.', schema: MeResponse },
    errors: [401],
    example: `curl $BASE/api/me -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'get',
    path: '/api/leads',
    tag: 'Rep API',
    summary: 'Batch lookup by email or LinkedIn URL',
    description:
      `Up to ${MAX_LOOKUP_PER_KIND} emails (\`email=a,b\` or repeated) and up to ${MAX_LOOKUP_PER_KIND} LinkedIn profile URLs (\`linkedin=\`). Emails match case-insensitively and trimmed; LinkedIn URLs in any common form (country subdomain, trailing slash, query). The answer has one key per value sent, exactly as sent; null when no lead has it.`,
    security: 'bearer',
    params: [
      { name: 'email', in: 'query', description: 'Comma-separated or repeated emails.', schema: str },
      { name: 'linkedin', in: 'query', description: 'Comma-separated or repeated LinkedIn profile URLs.', schema: str },
    ],
    response: { status: 200, description: 'Summaries (score, tier, grade, stage, milestones, reasons) scored now.', schema: LookupResponse },
    errors: [400, 401],
    example: `curl "$BASE/api/leads?email=ann@acme.com,bob@example.org" -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'get',
    path: '/api/leads/top',
    tag: 'Rep API',
    summary: 'Top leads, optionally of one tier',
    description: 'Leads ordered by their score now, highest first. `tier` is a tier name of the model (Hot, Warm, Cold by default).',
    security: 'bearer',
    params: [
      { name: 'tier', in: 'query', description: 'Tier name.', schema: str },
      { name: 'limit', in: 'query', description: `1-${MAX_TOP_LEADS}, default 20.`, schema: { type: 'integer', minimum: 1, maximum: MAX_TOP_LEADS } },
    ],
    response: { status: 200, description: 'The list.', schema: TopLeadsResponse },
    errors: [400, 401],
    example: `curl "$BASE/api/leads/top?tier=Hot&limit=10" -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'post',
    path: '/api/leads',
    tag: 'Rep API',
    summary: 'Create a lead by hand',
    description: 'With an email and/or a LinkedIn profile URL. 409 when one of them already belongs to a lead.',
    security: 'bearer',
    params: [idempotencyKey],
    body: { schema: NewLead, contentType: 'application/json', example: { email: 'dana@globex.com', name: 'Dana Ng', linkedinUrl: 'https://www.linkedin.com/in/dana-ng', attributes: { industry: 'Software' } } },
    response: { status: 201, description: 'The new lead, scored.', schema: LeadSummary },
    errors: [400, 401, 409, 413, 422],
    example: `curl -X POST $BASE/api/leads -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n  -d '{"email":"dana@globex.com","linkedinUrl":"https://www.linkedin.com/in/dana-ng"}'`,
  },
  {
    method: 'get',
    path: '/api/leads/{id}',
    tag: 'Rep API',
    summary: 'Lead detail',
    description: 'The summary plus attributes with who set them and when, the score breakdown (adds up to the unclamped total), the stage history, the outcome, and one page of the timeline (newest first; pass nextCursor as cursor for the next page).',
    security: 'bearer',
    params: [
      idParam,
      { name: 'cursor', in: 'query', description: 'nextCursor of the previous page.', schema: str },
      { name: 'limit', in: 'query', description: `Timeline events per page, 1-${MAX_TIMELINE_PAGE}, default 50.`, schema: { type: 'integer', minimum: 1, maximum: MAX_TIMELINE_PAGE } },
    ],
    response: { status: 200, description: 'The lead.', schema: LeadDetail },
    errors: [400, 401, 404],
    example: `curl "$BASE/api/leads/ld_...?limit=20" -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'patch',
    path: '/api/leads/{id}',
    tag: 'Rep API',
    summary: "Tag a lead, set its stage, rating or outcome",
    description: 'Attributes (null removes one; emailDomainType is derived and cannot be set), stage (recorded in the history as set by this token), rating 0-10, outcome won/lost (Customer/Disqualified), name, LinkedIn URL. Each attribute records the token that set it and when. Returns the new summary.',
    security: 'bearer',
    params: [idParam, idempotencyKey],
    body: { schema: LeadPatch, contentType: 'application/json', example: { attributes: { industry: 'Software', budget: true, decisionMaker: true }, rating: 8 } },
    response: { status: 200, description: 'The lead, rescored.', schema: LeadSummary },
    errors: [400, 401, 404, 409, 413, 422],
    example: `curl -X PATCH $BASE/api/leads/ld_... -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n  -H "Idempotency-Key: $(uuidgen)" -d '{"attributes":{"budget":true},"rating":8}'`,
  },
  {
    method: 'post',
    path: '/api/leads/{id}/merge',
    tag: 'Rep API',
    summary: 'Merge another lead into this one',
    description:
      'Merging two known leads is a rep\'s act: ingest never does it (anyone with the site key could name any two emails). The lead `other` is folded into this one (the survivor) and deleted: its events, emails and visitor ids, stage history and idempotency records move here. A value a rep set (attributes, rating) beats one from identify traits; when both leads have one, the survivor\'s wins; the survivor\'s name, email, LinkedIn URL and outcome win, the higher stage wins. The stage history records the merge and the token that did it. Both leads must be in the token\'s workspace (else 404); a lead cannot be merged into itself (400 merge_into_itself). Returns the survivor, rescored.',
    security: 'bearer',
    params: [idParam, idempotencyKey],
    body: { schema: LeadMerge, contentType: 'application/json', example: { other: 'ld_Q2x9fLk3PzT0aBcD' } },
    response: { status: 200, description: 'The survivor, rescored from both leads\' events.', schema: LeadSummary },
    errors: [400, 401, 404, 413, 422],
    example: `curl -X POST $BASE/api/leads/ld_.../merge -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\\n  -H "Idempotency-Key: $(uuidgen)" -d '{"other":"ld_..."}'`,
  },
  {
    method: 'delete',
    path: '/api/leads/{id}',
    tag: 'Admin API',
    summary: 'Erase a lead (GDPR)',
    description: 'Deletes the lead, its events and any its ids sent still unattached, its identities, stage history and idempotency records. Events a shared visitor sent while it was another lead\'s stay with that lead. Admin token.',
    security: 'admin',
    params: [idParam],
    response: { status: 200, description: 'Erased.', schema: EraseResponse },
    errors: [401, 403, 404],
    example: `curl -X DELETE $BASE/api/leads/ld_... -H "Authorization: Bearer $ADMIN_TOKEN"`,
  },
  {
    method: 'get',
    path: '/api/model',
    tag: 'Rep API',
    summary: 'The current scoring model',
    description: 'Rep and admin tokens. The extension uses it to preview a tag locally with the same engine.',
    security: 'bearer',
    response: { status: 200, description: 'The model.', schema: ScoringModel },
    errors: [401],
    example: `curl $BASE/api/model -H "Authorization: Bearer $TOKEN" > model.json`,
  },
  {
    method: 'put',
    path: '/api/model',
    tag: 'Admin API',
    summary: 'Replace the scoring model; a job rescores every lead',
    description: `${exampleModelNote} A model that does not validate is refused with every problem listed. The model and a rescore job are stored together; the answer (202, Location: /api/jobs/{id}) comes at once and the job runs in the background, resuming after a crash. Until it reaches a lead, the lead shows its stored score from the older model version its \`modelVersion\` names.`,
    security: 'admin',
    body: { schema: ScoringModel, contentType: 'application/json', example: { version: 1, name: 'My model', halfLifeDays: 30, '...': '...' } },
    response: { status: 202, description: 'Stored as the next version; `job` rescores the leads (follow Location).', schema: ModelPutResponse },
    errors: [400, 401, 403, 413],
    example: `curl -X PUT $BASE/api/model -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d @model.json`,
  },
  {
    method: 'get',
    path: '/api/model/challenger',
    tag: 'Admin API',
    summary: 'The challenger model, since when, and its shadow job',
    description: 'Admin tokens. The workspace\'s challenger (champion / challenger): the model, when it started, who set it, and the job that gives every lead its shadow score. A 404 `no_challenger` when there is none.',
    security: 'admin',
    response: { status: 200, description: 'The challenger.', schema: ChallengerResponse },
    errors: [401, 403, 404],
    example: `curl $BASE/api/model/challenger -H "Authorization: Bearer $ADMIN_TOKEN"`,
  },
  {
    method: 'put',
    path: '/api/model/challenger',
    tag: 'Admin API',
    summary: 'Set a challenger model; a job gives every lead a shadow score under it',
    description: `${exampleModelNote} Stores the model as the workspace's challenger (replacing any other, whose shadow scores are cleared) with a job (kind \`shadow\`) that scores every lead under it from its events; the answer (202, Location: /api/jobs/{id}) comes at once. From then on ingest, rep edits and merges keep each lead's shadow score current, as they do the main score. Shadow scores are never shown on badges or in any lead view; GET /api/reports/challenger compares the two models on outcomes that arrive after this moment. A model that does not validate is a 400 \`invalid_model\`.`,
    security: 'admin',
    body: { schema: ScoringModel, contentType: 'application/json', example: { version: 1, name: 'Challenger', halfLifeDays: 14, '...': '...' } },
    response: { status: 202, description: 'Stored; `job` computes the shadow scores (follow Location).', schema: ChallengerResponse },
    errors: [400, 401, 403, 413],
    example: `curl -X PUT $BASE/api/model/challenger -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d @challenger.json`,
  },
  {
    method: 'delete',
    path: '/api/model/challenger',
    tag: 'Admin API',
    summary: 'Stop the challenger',
    description: 'Admin tokens. Removes the challenger and every shadow score, and supersedes its shadow job. The current model is untouched. A 404 `no_challenger` when there is none.',
    security: 'admin',
    response: { status: 204, description: 'Stopped.' },
    errors: [401, 403, 404],
    example: `curl -X DELETE $BASE/api/model/challenger -H "Authorization: Bearer $ADMIN_TOKEN"`,
  },
  {
    method: 'post',
    path: '/api/model/challenger/promote',
    tag: 'Admin API',
    summary: 'Make the challenger the model; a job rescores every lead',
    description: 'Admin tokens. Exactly PUT /api/model with the challenger\'s model: stored as the next version with its rescore job (202, Location: /api/jobs/{id}), and the challenger removed with its shadow scores, in one transaction. A 404 `no_challenger` when there is none.',
    security: 'admin',
    response: { status: 202, description: 'The challenger is the next model version; `job` rescores the leads (follow Location).', schema: ModelPutResponse },
    errors: [401, 403, 404],
    example: `curl -X POST $BASE/api/model/challenger/promote -H "Authorization: Bearer $ADMIN_TOKEN"`,
  },
  {
    method: 'get',
    path: '/api/jobs/{id}',
    tag: 'Rep API',
    summary: 'A background job: state and progress',
    description:
      'Rep and admin tokens, for jobs of their workspace (another workspace\'s job is 404). `kind`: rescore (a model change) or shadow (a challenger\'s shadow scores). `state`: queued, running, done, failed, or superseded (a newer model change or challenger replaced it before it finished, or the challenger was stopped or promoted); `progress`: leads on the job\'s model version (shadow: leads with a shadow score), of all.',
    security: 'bearer',
    params: [{ name: 'id', in: 'path', required: true, description: 'The job id (job_...).', schema: str }],
    response: { status: 200, description: 'The job.', schema: Job },
    errors: [401, 404],
    example: `curl $BASE/api/jobs/job_... -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'get',
    path: '/api/reports/conversion',
    tag: 'Rep API',
    summary: 'Conversion by tier, grade, score decile, source and attribute',
    description: `Rep and admin tokens. For the workspace's leads created in the period: every rate counts closed leads only (won or lost), with its n and a 95% Wilson interval (a rep reads "Hot: 42% (33-52%, n=100)"); leads with no outcome yet are counted as \`open\`, never in a denominator. \`lift\` is a group's rate over the base rate (every closed lead of the period); \`auc\` is the stored score's AUC against outcomes (Mann-Whitney, ties counted half). Deciles rank leads by score, decile 1 the highest; leads with equal scores share a decile. A breakdown lists at most ${MAX_REPORT_GROUPS} values; later ones are summed as "(other)", leads without the value as "(none)". Leads are read in pages, so memory stays flat for any number of leads. A bad parameter is a 400 \`invalid_query\`; a period whose from is not before its to is a 400 \`invalid_period\`.`,
    security: 'bearer',
    params: [
      { name: 'from', in: 'query', description: 'Leads created at or after: a day (2025-03-01) or an ISO time with offset. Default: no lower bound.', schema: str },
      { name: 'to', in: 'query', description: 'Leads created before this time; a bare day includes that whole day (to=2025-03-31). Default: no upper bound.', schema: str },
      { name: 'attribute', in: 'query', description: `An attribute key to break down by, repeated or comma-separated (at most ${MAX_REPORT_ATTRIBUTES}).`, schema: str },
    ],
    response: { status: 200, description: 'The report.', schema: ConversionReport },
    errors: [400, 401],
    example: `curl "$BASE/api/reports/conversion?from=2025-01-01&to=2025-03-31&attribute=industry" -H "Authorization: Bearer $TOKEN"`,
  },
  {
    method: 'post',
    path: '/api/reports/backtest',
    tag: 'Admin API',
    summary: 'Backtest one or two models on past outcomes, without leakage',
    description:
      'Admin tokens. Scores every lead created in the period that has an outcome and its date, as of that date: its events up to then and its attributes as they were then (from the attribute history), never anything that came after, under `model` and, when given, `vs` (each "current", `{"version": n}` for a stored version, or a whole model). Per model: AUC (Mann-Whitney, ties half), conversion by tier and by score decile with 95% Wilson intervals and lift. With two models: the AUC difference (vs - model) with DeLong\'s 95% interval on the same leads, and how many leads change tier. The rep rating (0-10) as of each outcome is evaluated as a model of its own, on the leads that had one. Leads with an outcome but no outcome date (set before dates were kept) are counted as `undated` and left out. A bad body is a 400 `invalid_backtest`, an unknown version a 404 `model_version_not_found`, a backwards period a 400 `invalid_period`.',
    security: 'bearer',
    body: { schema: BacktestRequest, contentType: 'application/json', example: { model: 'current', vs: { version: 3 }, from: '2025-01-01' } },
    response: { status: 200, description: 'The backtest.', schema: BacktestReport },
    errors: [400, 401, 403, 404],
    example: `curl -X POST $BASE/api/reports/backtest -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"model":"current","vs":{"version":3},"from":"2025-01-01"}'`,
  },
  {
    method: 'post',
    path: '/api/models/learn',
    tag: 'Admin API',
    summary: 'Learn a points model from outcomes',
    description:
      'Admin tokens. Fits an L2-regularized logistic regression on the workspace\'s leads with a dated outcome, each as it stood at its outcome (events and attribute history up to it): every attribute (categorical values with at least 1% of leads, rare ones pooled; numbers in decile bins; missing a level of its own) and engagement steps (at least 1, 2, 3, 5, 10 events per current rule and per event name). The fit becomes an ordinary model: whole points per rule, a base score, tiers where the calibrated probability reaches the base rate (Warm) and twice it (Hot), and a calibration (score -> probability). The report compares, on held-out leads, the learned model, the unrounded regression, the current model and the rep rating (AUC with 95% intervals), with conversion by tier and calibration by decile. Nothing is stored: adopt the model with `PUT /api/model`. Refused (422 `not_enough_outcomes`) below 200 dated outcomes or 40 of either class; features that alone reach AUC > 0.95 are listed under `leakage`; `exclude` leaves attributes out. A bad body is a 400 `invalid_learn_request`.',
    security: 'bearer',
    body: { schema: LearnRequest, contentType: 'application/json', example: { holdout: 0.3, seed: 1, exclude: ['contractSigned'] } },
    response: { status: 200, description: 'The learned model and its report.', schema: LearnResponse },
    errors: [400, 401, 403, 422],
    example: `curl -X POST $BASE/api/models/learn -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"holdout":0.3}'`,
  },
  {
    method: 'get',
    path: '/api/reports/challenger',
    tag: 'Admin API',
    summary: 'Champion against challenger on outcomes since the challenger started',
    description:
      'Admin tokens. Every lead whose outcome is dated at or after the challenger started is scored under the current model (the champion) and the challenger as of its outcome date (as a backtest does: its events up to then, its attributes as they were then), which is what each model said when the outcome came. Per model: AUC and conversion by tier and score decile with 95% Wilson intervals; the AUC difference (challenger - champion) with DeLong\'s 95% interval and the tier moves. Outcomes dated before the start are left out (the challenger was chosen knowing them). A 404 `no_challenger` when there is none.',
    security: 'admin',
    response: { status: 200, description: 'The comparison.', schema: ChallengerReport },
    errors: [401, 403, 404],
    example: `curl $BASE/api/reports/challenger -H "Authorization: Bearer $ADMIN_TOKEN"`,
  },
  {
    method: 'get',
    path: '/healthz',
    tag: 'Service',
    summary: 'Health check',
    description: 'Answers 200 when the server and its database respond.',
    security: 'none',
    response: { status: 200, description: 'Healthy.', schema: HealthResponse },
    errors: [],
    example: 'curl $BASE/healthz',
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Service',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'Generated from the zod schemas the routes validate with.',
    security: 'none',
    response: { status: 200, description: 'The document.' },
    errors: [],
    example: 'curl $BASE/openapi.json',
  },
];
