import { MAX_SECRET_OVERLAP_HOURS, NewWebhook, RotateWebhookSecret, WEBHOOK_EVENT_TYPES } from '../../../shared/index';
import type { Store } from '../store/store';
import { urlProblem } from '../webhooks/address-policy';
import { toWebhook } from '../webhooks/present-webhook';

export const WEBHOOK_USAGE = `webhook add --url <https URL> --event <type> [--event ...] [--workspace <id>] [--allow-private-webhooks]   (prints the secret once)
  webhook list [--workspace <id>]
  webhook remove <webhook id> [--workspace <id>]
  webhook rotate <webhook id> [--keep-hours 24] [--workspace <id>]   (prints the new secret once; the old one signs too until then)
    events: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export interface WebhookCommandInput {
  action: string;
  id: string | undefined;
  url: string | undefined;
  events: string[];
  allowPrivate: boolean;
  keepHours: string | undefined;
}

/** `webhook add | list | remove`: the same rules as POST /api/webhooks (zod body, SSRF check). A usage problem is thrown as `usage`. */
export async function webhookCommand(store: Store, workspaceId: string, input: WebhookCommandInput, now: number, usage: (message: string) => Error) {
  switch (input.action) {
    case 'add': {
      const parsed = NewWebhook.safeParse({ url: input.url, events: input.events.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean) });
      if (!parsed.success) throw usage(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'event')}: ${i.message}`).join('; '));
      const problem = await urlProblem(parsed.data.url, input.allowPrivate);
      if (problem) throw new Error(problem);
      const { endpoint, secret } = await store.webhooks.createEndpoint(workspaceId, parsed.data.url, parsed.data.events, now);
      return { data: { ...toWebhook(endpoint), secret }, text: `created webhook ${endpoint.id} for ${endpoint.events.join(', ')}; its signing secret is shown only now:\n${secret}` };
    }
    case 'list': {
      const list = (await store.webhooks.listEndpoints(workspaceId)).map(toWebhook);
      const line = (w: (typeof list)[number]) => `${w.id}  ${w.url}  ${w.events.join(',')}  ${w.disabledAt ? `disabled ${w.disabledAt}: ${w.disabledReason}` : w.failingSince ? `failing since ${w.failingSince}` : 'active'}`;
      return { data: list, text: list.map(line).join('\n') || 'no webhooks' };
    }
    case 'remove': {
      if (!input.id) throw usage('webhook remove needs a webhook id');
      if (!(await store.webhooks.removeEndpoint(workspaceId, input.id))) throw new Error(`no webhook ${input.id} in workspace ${workspaceId}`);
      return { data: { id: input.id, removed: true }, text: `removed ${input.id}` };
    }
    case 'rotate': {
      if (!input.id) throw usage('webhook rotate needs a webhook id');
      const parsed = RotateWebhookSecret.safeParse(input.keepHours === undefined ? {} : { keepPreviousForHours: Number(input.keepHours) });
      if (!parsed.success) throw usage(`--keep-hours must be a number of hours from 0 to ${MAX_SECRET_OVERLAP_HOURS}`);
      const rotated = await store.webhooks.rotateSecret(workspaceId, input.id, parsed.data.keepPreviousForHours * 3_600_000, now);
      if (!rotated) throw new Error(`no webhook ${input.id} in workspace ${workspaceId}`);
      const until = rotated.endpoint.previousSecretExpiresAt;
      return { data: { ...toWebhook(rotated.endpoint), secret: rotated.secret }, text: `new signing secret for ${input.id}, shown only now${until ? ` (the previous one signs too until ${new Date(until).toISOString()})` : ''}:\n${rotated.secret}` };
    }
    default:
      throw usage(`unknown command "webhook ${input.action}"`);
  }
}
