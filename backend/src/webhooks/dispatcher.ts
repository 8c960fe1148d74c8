import { hostname } from 'node:os';
import { newId } from '../domain/ids';
import { silentLogger, type Logger } from '../log';
import type { Store } from '../store/store';
import type { AttemptOutcome, ClaimedDelivery } from '../store/webhooks/webhook-store';
import { attemptOutcome } from './retry-policy';
import { httpTransport, SEND_TIMEOUT_MS, type WebhookTransport } from './send-webhook';
import { PollLoop } from '../jobs/poll-loop';

/** A crashed instance's claimed deliveries are sent again (same webhook-id) this long after it claimed them. */
export const DEFAULT_WEBHOOK_LEASE_MS = 2 * SEND_TIMEOUT_MS;

export interface DispatcherOptions {
  /** Refuse no address (tests, a receiver on the same network): --allow-private-webhooks. */
  allowPrivate?: boolean;
  /** How a webhook is sent (default: signed HTTP POST); tests inject one to fail or time deliveries. */
  transport?: WebhookTransport;
  /** The clock of schedules, leases and the delivery log (default Date.now). */
  now?: () => number;
  /** Jitter source (default Math.random). */
  random?: () => number;
  /** How long a claimed delivery stays this dispatcher's (default 30 s); a send gives up after half of it (at most 15 s). */
  leaseMs?: number;
  /** Deliveries claimed (and sent concurrently) at once. */
  batchSize?: number;
  /** How often to look for due deliveries after a batch that was not full (default 1 s): a lead's next event waits up to this long. */
  pollMs?: number;
  logger?: Logger;
}

/**
 * Delivers the outbox: every instance runs one. It claims due deliveries (each the earliest
 * pending one of its lead for its endpoint, so a lead's events arrive in order), sends them
 * concurrently, and records each attempt: delivered, retried later, failed, or the endpoint
 * disabled. A crash leaves claimed deliveries leased; they are taken again when the lease ends,
 * with the same webhook-id, so receivers can drop what they already had.
 */
export class WebhookDispatcher {
  readonly owner = `${hostname()}:${process.pid}:${newId('wh', 8)}`;
  readonly #transport: WebhookTransport;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #leaseMs: number;
  readonly #batchSize: number;
  readonly #logger: Logger;
  readonly #loop: PollLoop;

  constructor(
    private readonly store: Store,
    options: DispatcherOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? DEFAULT_WEBHOOK_LEASE_MS;
    // A send ends well within the lease, so no other instance takes a delivery still being sent.
    this.#transport = options.transport ?? httpTransport({ allowPrivate: options.allowPrivate ?? false, timeoutMs: Math.min(SEND_TIMEOUT_MS, this.#leaseMs / 2) });
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#batchSize = options.batchSize ?? 50;
    this.#logger = options.logger ?? silentLogger;
    // A full batch: more are waiting, go on at once. Otherwise wait for the next poll, so that events
    // trickling in are claimed and recorded a batch at a time (each claim and record is a write transaction,
    // and on SQLite ingest waits for those) rather than one by one as they come. A failure (the database
    // briefly unreachable) leaves the deliveries in their state, to be tried again.
    this.#loop = new PollLoop(
      async () => ((await this.#once()) === this.#batchSize ? 'again' : 'wait'),
      options.pollMs ?? 1_000,
      (error) => this.#logger.error('webhook dispatcher failed', { error: error.message }),
    );
  }

  start(): void {
    this.#loop.start();
  }

  /** Something was queued: look now rather than at the next poll. */
  poke(): void {
    this.#loop.poke();
  }

  /** Stops after the deliveries in flight. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Sends every delivery due now, batch after batch, until none is due; the number of attempts made. */
  async drain(): Promise<number> {
    let attempts = 0;
    for (let sent = await this.#once(); sent > 0; sent = await this.#once()) attempts += sent;
    return attempts;
  }

  /** Claims one batch and delivers it; how many deliveries it held. */
  async #once(): Promise<number> {
    if (this.#loop.stopping) return 0;
    const batch = await this.store.webhooks.claim(this.owner, this.#leaseMs, this.#now(), this.#batchSize);
    if (batch.length > 0) await this.#deliver(batch);
    return batch.length;
  }

  /** Sends a claimed batch at once (each delivery heads its lead's queue), then records every attempt in one write. */
  async #deliver(batch: ClaimedDelivery[]): Promise<void> {
    const results = await Promise.all(
      batch.map((delivery) => this.#transport({ url: delivery.url, messageId: delivery.messageId, payload: delivery.payload, secrets: delivery.secrets }).catch((error: Error) => ({ error: error.message }))),
    );
    const now = this.#now();
    const attempts = batch.map((delivery, i) => ({ delivery, outcome: attemptOutcome(results[i]!, delivery.attempts + 1, delivery.failingSince, now, this.#random) }));
    const recorded = await this.store.webhooks.finishAttempts(this.owner, attempts, now);
    attempts.forEach(({ delivery, outcome }, i) => this.#log(delivery, outcome, recorded[i]!));
  }

  #log(delivery: ClaimedDelivery, outcome: AttemptOutcome, recorded: boolean): void {
    const fields = { delivery: delivery.id, endpoint: delivery.endpointId, messageId: delivery.messageId, attempt: delivery.attempts + 1, status: outcome.status ?? undefined, error: outcome.error ?? undefined };
    if (!recorded) this.#logger.warn('webhook lease lost before the attempt was recorded', fields);
    else if (outcome.state !== 'delivered') this.#logger.info(`webhook ${outcome.state === 'pending' ? 'retry scheduled' : 'failed'}`, fields);
    if (outcome.disableEndpoint) this.#logger.warn('webhook endpoint disabled', { endpoint: delivery.endpointId, reason: outcome.disableEndpoint });
  }
}
