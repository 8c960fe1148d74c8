import { z } from 'zod';
import { LeadSummary, ScoringModel } from '../../../shared/index';

/** Bumped on a breaking change of the API; the extension checks it with GET /api/me. */
export const API_VERSION = 1;

export const MeResponse = z.object({
  apiVersion: z.literal(API_VERSION),
  workspace: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(['rep', 'admin']),
  token: z.object({ id: z.string(), label: z.string().nullable() }),
});

export const LookupResponse = z.object({
  /** One entry per email / LinkedIn URL asked for, keyed exactly as it was sent; null when no lead has it. */
  leads: z.record(z.string(), LeadSummary.nullable()),
});

export const TopLeadsResponse = z.object({ tier: z.string().nullable(), leads: z.array(LeadSummary) });

export const ModelPutResponse = z.object({ model: ScoringModel, rescored: z.number().int(), ms: z.number() });

export const EraseResponse = z.object({ erased: z.literal(true), events: z.number().int(), identities: z.number().int() });

export const IngestResponse = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

export const SegmentResponse = IngestResponse.extend({ success: z.literal(true), ignored: z.number().int() });

export const HealthResponse = z.object({ status: z.literal('ok') });
