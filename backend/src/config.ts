import type { Logger } from './log';
import { silentLogger } from './log';

export interface RateLimit {
  /** Sustained requests per second; 0 turns the limit off. */
  perSecond: number;
  /** Requests allowed at once after a quiet period. */
  burst: number;
}

/** What the HTTP app needs besides the store. */
export interface AppConfig {
  /** The backend's public origin, used in links it prints and in the OpenAPI document. */
  publicUrl: string;
  /** Largest request body, in bytes, for ingest routes and for the API. */
  ingestBodyLimit: number;
  apiBodyLimit: number;
  rateLimitPerIp: RateLimit;
  rateLimitPerSite: RateLimit;
  /** Take the client address from X-Forwarded-For (only behind a proxy you trust). */
  trustProxy: boolean;
  logger: Logger;
  now: () => number;
}

export const DEFAULT_PORT = 8787;

export function appConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    publicUrl: `http://localhost:${DEFAULT_PORT}`,
    ingestBodyLimit: 512 * 1024,
    apiBodyLimit: 256 * 1024,
    rateLimitPerIp: { perSecond: 50, burst: 200 },
    rateLimitPerSite: { perSecond: 500, burst: 2_000 },
    trustProxy: false,
    logger: silentLogger,
    now: Date.now,
    ...overrides,
  };
}
