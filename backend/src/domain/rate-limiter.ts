import type { RateLimit } from '../config';

const SWEEP_AT = 50_000;

/** Token buckets by key (an IP, a site), refilled continuously; memory bounded by sweeping idle buckets. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Takes one token: returns 0 when allowed, else the whole seconds to wait before retrying. */
  take(key: string): number {
    const { perSecond, burst } = this.limit;
    if (perSecond <= 0) return 0;
    const now = this.now();
    const bucket = this.#buckets.get(key);
    const tokens = bucket ? Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond) : burst;
    if (!bucket && this.#buckets.size >= SWEEP_AT) this.#sweep(now);
    if (tokens >= 1) {
      this.#buckets.set(key, { tokens: tokens - 1, at: now });
      return 0;
    }
    this.#buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }

  /** Forgets buckets that have refilled completely: they behave exactly like new ones. */
  #sweep(now: number): void {
    const { perSecond, burst } = this.limit;
    for (const [key, b] of this.#buckets) if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.#buckets.delete(key);
  }
}
