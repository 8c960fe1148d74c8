import { z } from 'zod';
import { Outcome } from './lead';
import { Stage } from './model';

/** What a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['lead.tier_changed', 'lead.stage_changed', 'lead.outcome_recorded', 'lead.merged', 'lead.erased', 'model.changed', 'account.tier_changed'] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Most endpoints one workspace may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20;
/** Most deliveries one GET /api/webhooks/:id/deliveries page carries. */
export const MAX_DELIVERY_PAGE = 200;

/** POST /api/webhooks. */
export const NewWebhook = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2_000),
  events: z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length),
});
export type NewWebhook = z.infer<typeof NewWebhook>;

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  createdAt: z.iso.datetime(),
  /** Why and when deliveries stopped: a 410 from the receiver, or three days of failures. */
  disabledAt: z.iso.datetime().nullable(),
  disabledReason: z.string().nullable(),
  /** The first failure since the last success, while failing. */
  failingSince: z.iso.datetime().nullable(),
  /** During a secret rotation: until when deliveries are signed with the previous secret too. */
  previousSecretExpiresAt: z.iso.datetime().nullable(),
});
export type Webhook = z.infer<typeof Webhook>;

/** The answer to POST /api/webhooks: the only time the signing secret is shown. */
export const WebhookCreated = Webhook.extend({ secret: z.string().startsWith('whsec_') });
export type WebhookCreated = z.infer<typeof WebhookCreated>;
export const WebhookList = z.object({ webhooks: z.array(Webhook) });
export type WebhookList = z.infer<typeof WebhookList>;

/** Longest a previous secret keeps signing after a rotation. */
export const MAX_SECRET_OVERLAP_HOURS = 7 * 24;
/** POST /api/webhooks/:id/rotate-secret: how long the previous secret keeps signing beside the new one (default 24 h; 0 ends it at once). */
export const RotateWebhookSecret = z.strictObject({ keepPreviousForHours: z.number().min(0).max(MAX_SECRET_OVERLAP_HOURS).default(24) });
export type RotateWebhookSecret = z.infer<typeof RotateWebhookSecret>;

export const WebhookDeliveryState = z.enum(['pending', 'delivered', 'failed']);
export const WebhookDelivery = z.object({
  id: z.string(),
  /** The webhook-id header, the same on every attempt and replay. */
  messageId: z.string(),
  type: WebhookEventType,
  state: WebhookDeliveryState,
  attempts: z.number().int(),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastAttemptAt: z.iso.datetime().nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDelivery) });

/** The lead as a webhook payload carries it: its stored score, as of the change. */
export const WebhookLead = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  linkedinUrl: z.string().nullable(),
  score: z.number(),
  fit: z.number(),
  engagement: z.number(),
  tier: z.string(),
  grade: z.string(),
  stage: Stage,
  outcome: Outcome.nullable(),
  modelVersion: z.number().int(),
});
export type WebhookLead = z.infer<typeof WebhookLead>;

/** An account as webhooks carry it. */
export const WebhookAccount = z.object({
  id: z.string(),
  name: z.string().nullable(),
  domain: z.string().nullable(),
  score: z.number(),
  tier: z.string(),
  people: z.number().int(),
  peopleEngaged: z.number().int(),
});
export type WebhookAccount = z.infer<typeof WebhookAccount>;

/** Every webhook body (Standard Webhooks shape): the type, when it happened, and its data. */
export const WebhookPayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lead.tier_changed'), timestamp: z.iso.datetime(), data: z.object({ lead: WebhookLead, previous: z.object({ tier: z.string() }), current: z.object({ tier: z.string() }) }) }),
  z.object({ type: z.literal('lead.stage_changed'), timestamp: z.iso.datetime(), data: z.object({ lead: WebhookLead, previous: z.object({ stage: Stage }), current: z.object({ stage: Stage }) }) }),
  z.object({
    type: z.literal('lead.outcome_recorded'),
    timestamp: z.iso.datetime(),
    data: z.object({ lead: WebhookLead, previous: z.object({ outcome: Outcome.nullable() }), current: z.object({ outcome: Outcome.nullable() }) }),
  }),
  z.object({ type: z.literal('lead.merged'), timestamp: z.iso.datetime(), data: z.object({ lead: WebhookLead, mergedLeadId: z.string() }) }),
  z.object({ type: z.literal('lead.erased'), timestamp: z.iso.datetime(), data: z.object({ leadId: z.string() }) }),
  z.object({ type: z.literal('model.changed'), timestamp: z.iso.datetime(), data: z.object({ version: z.number().int(), name: z.string() }) }),
  z.object({ type: z.literal('account.tier_changed'), timestamp: z.iso.datetime(), data: z.object({ account: WebhookAccount, previous: z.object({ tier: z.string() }), current: z.object({ tier: z.string() }) }) }),
]);
export type WebhookPayload = z.infer<typeof WebhookPayload>;
