import { DEFAULT_PORT } from '../../shared/index';
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
  /** Ingest requests in flight at once before the next is answered 503 with Retry-After (0: no limit). */
  maxPendingIngest: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy you trust). */
  trustProxy: boolean;
  logger: Logger;
  now: () => number;
  /** Tells this process's job runner that a job was queued, so it starts it without waiting for its next poll. */
  jobQueued: () => void;
}

/** Where `npm start` keeps its embedded database unless told otherwise. */
export const DEFAULT_DATABASE_URL = 'data/leadscore.db';
export const DEFAULT_RATE_LIMIT_PER_IP: RateLimit = { perSecond: 50, burst: 200 };
export const DEFAULT_RATE_LIMIT_PER_SITE: RateLimit = { perSecond: 500, burst: 2_000 };
/** Four times what the ingest benchmark keeps in flight: a backlog of ~100 ms at the rate one process commits. */
export const DEFAULT_MAX_PENDING_INGEST = 128;

export function appConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    publicUrl: `http://localhost:${DEFAULT_PORT}`,
    ingestBodyLimit: 512 * 1024,
    apiBodyLimit: 256 * 1024,
    rateLimitPerIp: DEFAULT_RATE_LIMIT_PER_IP,
    rateLimitPerSite: DEFAULT_RATE_LIMIT_PER_SITE,
    maxPendingIngest: DEFAULT_MAX_PENDING_INGEST,
    trustProxy: false,
    logger: silentLogger,
    now: Date.now,
    jobQueued: () => {},
    ...overrides,
  };
}
