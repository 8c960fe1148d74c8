import type { Webhook, WebhookDelivery } from '../../../shared/index';
import type { WebhookDeliveryRecord, WebhookEndpointRecord } from '../store/webhooks/webhook-store';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An endpoint as the API shows it: never its secrets. */
export function toWebhook(endpoint: WebhookEndpointRecord): Webhook {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    createdAt: new Date(endpoint.createdAt).toISOString(),
    disabledAt: iso(endpoint.disabledAt),
    disabledReason: endpoint.disabledReason,
    failingSince: iso(endpoint.failingSince),
    previousSecretExpiresAt: iso(endpoint.previousSecretExpiresAt),
  };
}

export function toDelivery(delivery: WebhookDeliveryRecord): WebhookDelivery {
  return {
    id: String(delivery.id),
    messageId: delivery.messageId,
    type: delivery.type,
    state: delivery.state,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.state === 'pending' ? iso(delivery.nextAttemptAt) : null,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatus: delivery.lastStatus,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    createdAt: new Date(delivery.createdAt).toISOString(),
  };
}
