import { z } from 'zod';
import { LeadSummary } from './lead';
import { ScoringModel } from './model';

/**
 * The HTTP contract between the backend and its clients (the extension, the CLI, scripts).
 * The backend's routes answer with these shapes and the extension validates what it receives
 * against them, so the two cannot drift apart silently.
 */

/** Bumped on a breaking change of the API; clients check it with GET /api/me. */
export const API_VERSION = 1;

/** The port `npm start` listens on unless told otherwise. */
export const DEFAULT_PORT = 8787;

/** Most email addresses, and separately most LinkedIn URLs, one GET /api/leads lookup takes. */
export const MAX_LOOKUP_PER_KIND = 100;
/** Most leads GET /api/leads/top returns at once. */
export const MAX_TOP_LEADS = 100;
/** Most timeline events one GET /api/leads/:id page carries. */
export const MAX_TIMELINE_PAGE = 200;

/** Every 4xx body: a machine-readable reason, a sentence, and zod issues where there are some. */
export const ApiError = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** The one field of GET /api/me that every API version keeps, so a client can tell whom it talks to first. */
export const ApiVersionProbe = z.object({ apiVersion: z.union([z.number(), z.string()]) });

export const MeResponse = z.object({
  apiVersion: z.literal(API_VERSION),
  workspace: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(['rep', 'admin']),
  token: z.object({ id: z.string(), label: z.string().nullable() }),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const LookupResponse = z.object({
  /** One entry per email / LinkedIn URL asked for, keyed exactly as it was sent; null when no lead has it. */
  leads: z.record(z.string(), LeadSummary.nullable()),
});

export const TopLeadsResponse = z.object({ tier: z.string().nullable(), leads: z.array(LeadSummary) });

/**
 * A durable piece of background work: `rescore` moves every lead of a workspace to a new model
 * version; `shadow` gives every lead its shadow score under the workspace's challenger.
 * `superseded`: a newer model change (or challenger) replaced it before it finished, or the
 * challenger was stopped or promoted. A job survives restarts: one interrupted by a crash resumes where it stopped.
 */
export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'superseded']);
export type JobState = z.infer<typeof JobState>;

export const Job = z.object({
  id: z.string(),
  kind: z.enum(['rescore', 'shadow']),
  /** The model version a rescore moves every lead to; 0 for a shadow job (a challenger has no version until promoted). */
  modelVersion: z.number().int(),
  state: JobState,
  /** Leads on the job's model version (a shadow job: leads with a shadow score), of all the workspace's leads. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  /** Why it failed (state failed); null otherwise. */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type Job = z.infer<typeof Job>;

/** PUT /api/model answers 202: the model is stored; `job` rescores the leads (see GET /api/jobs/:id). */
export const ModelPutResponse = z.object({ model: ScoringModel, job: Job });
export type ModelPutResponse = z.infer<typeof ModelPutResponse>;

/** POST /api/model/check answers 200 with the draft as PUT /api/model would store it (nothing is stored). */
export const ModelCheckResponse = z.object({ valid: z.literal(true), model: ScoringModel });
export type ModelCheckResponse = z.infer<typeof ModelCheckResponse>;

export const EraseResponse = z.object({ erased: z.literal(true), events: z.number().int(), identities: z.number().int() });

export const IngestResponse = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

export const SegmentResponse = IngestResponse.extend({ success: z.literal(true), ignored: z.number().int() });

export const HealthResponse = z.object({ status: z.literal('ok') });
