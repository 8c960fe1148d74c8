import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook as SignedWebhook } from 'standardwebhooks';
import { checkedLookup, isRefusedAddress, schemeProblem } from './address-policy';
import { parseRetryAfter, type AttemptResult } from './retry-policy';

/** One delivery as the transport sees it. */
export interface OutgoingWebhook {
  url: string;
  messageId: string;
  payload: string;
  secrets: string[];
}

/** Sends a webhook and says what came back; injectable so tests can time or fail deliveries. */
export type WebhookTransport = (webhook: OutgoingWebhook) => Promise<AttemptResult>;

export const SEND_TIMEOUT_MS = 15_000;

/** The Standard Webhooks headers: the id (the same on every retry), the time, and one signature per secret (two during a rotation). */
export function signedHeaders(webhook: OutgoingWebhook, at: Date): Record<string, string> {
  const timestamp = Math.floor(at.getTime() / 1_000);
  const signatures = webhook.secrets.map((secret) => new SignedWebhook(secret).sign(webhook.messageId, at, webhook.payload));
  return { 'webhook-id': webhook.messageId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

/**
 * The real transport: node:http(s) with a lookup that refuses private addresses at connection
 * time (unless allowed). The signature's timestamp is the wall clock: receivers check it against theirs.
 */
export function httpTransport(options: { allowPrivate: boolean; timeoutMs?: number }): WebhookTransport {
  return (webhook) =>
    new Promise<AttemptResult>((resolve) => {
      const url = new URL(webhook.url);
      const scheme = schemeProblem(url, options.allowPrivate);
      if (scheme) return resolve({ error: scheme });
      const host = url.hostname.replace(/^\[|\]$/g, '');
      if (!options.allowPrivate && isIP(host) && isRefusedAddress(host)) return resolve({ error: `refused: ${host} is a private address` });
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const body = Buffer.from(webhook.payload);
      const req = send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'user-agent': 'leadscore-webhooks/1', ...signedHeaders(webhook, new Date()) },
        lookup: checkedLookup(options.allowPrivate) as never,
        timeout: options.timeoutMs ?? SEND_TIMEOUT_MS,
      });
      req.on('response', (res: IncomingMessage) => {
        res.resume(); // the body is not read: only the status counts
        resolve({ status: res.statusCode ?? 0, retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()) });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${(options.timeoutMs ?? SEND_TIMEOUT_MS) / 1_000} s`)));
      req.on('error', (error) => resolve({ error: error.message }));
      req.end(body);
    });
}
