import { z } from 'zod';
import { LeadPatch, type LeadDetail, type LeadSummary, type MeResponse, type ScoringModel } from '../shared';
import { MAX_LOOKUP_KEYS, type LeadKey } from './keys';

/**
 * Every message the background accepts, validated with zod before anything else happens.
 * Content scripts may only look leads up and ask for the tagger; extension pages may do the rest.
 */
const Key = z
  .string()
  .max(600)
  .regex(/^(email:[^\s@]+@[^\s@]+|li:https:\/\/www\.linkedin\.com\/in\/[^/?#\s]+)$/, 'not a lead key') as unknown as z.ZodType<LeadKey>;
const LeadId = z.string().min(1).max(100);
const HttpUrl = z.url({ protocol: /^https?$/ }).max(500);

export const LookupRequest = z.object({ type: z.literal('lookup'), keys: z.array(Key).min(1).max(MAX_LOOKUP_KEYS) }).strict();
export const OpenTaggerRequest = z.object({ type: z.literal('openTagger'), leadId: LeadId }).strict();

export const ContentRequest = z.discriminatedUnion('type', [LookupRequest, OpenTaggerRequest]);

export const PageRequest = z.discriminatedUnion('type', [
  LookupRequest,
  OpenTaggerRequest,
  z.object({ type: z.literal('settings.get') }).strict(),
  z.object({ type: z.literal('settings.save'), backendUrl: HttpUrl, token: z.string().max(500).optional() }).strict(),
  z.object({ type: z.literal('connection.test'), backendUrl: HttpUrl.optional(), token: z.string().max(500).optional() }).strict(),
  z.object({ type: z.literal('lead.detail'), id: LeadId }).strict(),
  z.object({ type: z.literal('lead.top'), tier: z.string().min(1).max(30), limit: z.number().int().min(1).max(50) }).strict(),
  z.object({ type: z.literal('lead.tag'), leadId: LeadId, patch: LeadPatch }).strict(),
  z.object({ type: z.literal('lead.link'), linkedinUrl: HttpUrl, email: z.email().max(320), name: z.string().trim().min(1).max(200).optional() }).strict(),
  z.object({ type: z.literal('model.get') }).strict(),
  z.object({ type: z.literal('queue.status') }).strict(),
]);

export type ContentRequest = z.infer<typeof ContentRequest>;
export type PageRequest = z.infer<typeof PageRequest>;

/** Lookup answers: a lead, `null` for "not a lead", and no entry for "could not tell right now". */
export type LookupAnswer = Partial<Record<LeadKey, LeadSummary | null>>;

export interface Settings {
  backendUrl: string;
  hasToken: boolean;
}

export type ConnectionProblem = 'not_configured' | 'unreachable' | 'no_permission' | 'bad_token' | 'forbidden' | 'wrong_version' | 'bad_response';

export type ConnectionResult =
  | { ok: true; workspace: string; role: MeResponse['role']; apiVersion: number }
  | { ok: false; problem: ConnectionProblem; message: string };

export interface QueuedEditView {
  seq: number;
  leadId: string;
  patch: LeadPatch;
  createdAt: number;
  attempts: number;
  lastError?: string;
}

export interface QueueStatus {
  pending: QueuedEditView[];
  rejected: (QueuedEditView & { reason: string })[];
}

export type TagResult = { state: 'saved'; lead: LeadSummary } | { state: 'queued'; reason: string; pending: number } | { state: 'rejected'; reason: string };

/** What each request answers with (inside the `{ ok: true, data }` envelope). */
export interface Responses {
  lookup: LookupAnswer;
  openTagger: null;
  'settings.get': Settings;
  'settings.save': Settings;
  'connection.test': ConnectionResult;
  'lead.detail': LeadDetail;
  'lead.top': LeadSummary[];
  'lead.tag': TagResult;
  'lead.link': TagResult;
  'model.get': ScoringModel;
  'queue.status': QueueStatus;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: string; message: string };

/** Sent by the background to content scripts when leads changed (saved tags, revalidated cache). */
export interface LeadsChanged {
  type: 'leads.changed';
  entries: { key: LeadKey; lead: LeadSummary | null }[];
}

/** Sent by the popup to the current tab's content script. */
export interface PeopleRequest {
  type: 'people';
}

export interface PagePerson {
  key: LeadKey;
  name?: string;
  headline?: string;
}

export interface PeopleAnswer {
  site: string;
  url: string;
  people: PagePerson[];
}
