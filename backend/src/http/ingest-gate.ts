import type { Context } from 'hono';
import type { AppConfig } from '../config';
import { Failure } from './failure';
import { RateLimiter } from '../domain/rate-limiter';
import type { Site, Store } from '../store/store';
import { clientIp } from './client';
import { requireStorable } from './errors';

const SITE_TTL_MS = 5_000;
const UNKNOWN_SITE_TTL_MS = 1_000;

/**
 * What every ingest route checks before writing: rate limits per client address and per site,
 * the site (cached briefly: ingest is the hot path), and the page's origin.
 */
export class IngestGate {
  readonly #perIp: RateLimiter;
  readonly #perSite: RateLimiter;
  readonly #sites = new Map<string, { site: Site | undefined; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly config: AppConfig,
    private readonly demoSiteKey: () => Promise<string | undefined>,
  ) {
    this.#perIp = new RateLimiter(config.rateLimitPerIp, config.now);
    this.#perSite = new RateLimiter(config.rateLimitPerSite, config.now);
  }

  limitClient(c: Context): void {
    this.#refuseAfter(this.#perIp.take(clientIp(c, this.config.trustProxy)), 'too many requests from this address');
  }

  limitSite(site: Site): void {
    this.#refuseAfter(this.#perSite.take(site.id), 'too many requests for this site');
  }

  #refuseAfter(seconds: number, message: string): void {
    if (seconds > 0) throw new Failure(429, 'rate_limited', `${message}; retry in ${seconds} s`, undefined, { 'Retry-After': String(seconds) });
  }

  /** The site with this key; `path` names where the key came from when it is text no store can keep. */
  async site(key: unknown, path: string[]): Promise<Site | undefined> {
    requireStorable(key, path);
    if (typeof key !== 'string' || key.length === 0 || key.length > 100) return undefined;
    const now = this.config.now();
    const cached = this.#sites.get(key);
    if (cached && cached.until > now) return cached.site;
    const site = await this.store.findSiteByKey(key);
    if (this.#sites.size > 10_000) this.#sites.clear();
    this.#sites.set(key, { site, until: now + (site ? SITE_TTL_MS : UNKNOWN_SITE_TTL_MS) });
    return site;
  }

  /**
   * An origin is allowed when the site lists it (or "*"). The demo site also accepts the
   * backend's own origin, so /demo keeps working whatever port or host the backend runs on.
   */
  async originAllowed(c: Context, site: Site, origin: string): Promise<boolean> {
    if (site.origins.includes('*') || site.origins.includes(origin)) return true;
    if (site.key !== (await this.demoSiteKey())) return false;
    return origin === new URL(c.req.url).origin || origin === new URL(this.config.publicUrl).origin;
  }
}
