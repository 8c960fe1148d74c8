import { parseArgs } from 'node:util';
import { DEFAULT_PORT } from '../../shared/index';
import { DEFAULT_DATABASE_URL, DEFAULT_MAX_PENDING_INGEST, DEFAULT_RATE_LIMIT_PER_IP, DEFAULT_RATE_LIMIT_PER_SITE, type RateLimit } from './config';
import { DEFAULT_JOB_LEASE_MS } from './jobs/job-runner';
import { LOG_LEVELS, type LogLevel } from './log';

export interface ServerSettings {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string | undefined;
  logLevel: LogLevel;
  trustProxy: boolean;
  rateLimitPerIp: RateLimit;
  rateLimitPerSite: RateLimit;
  /** MAX_PENDING_INGEST: ingest requests in flight before the next is refused with 503 (0: no limit). */
  maxPendingIngest: number;
  /** JOB_LEASE_MS: how long a job stays an instance's without renewal (a crashed instance's job resumes after it). */
  jobLeaseMs: number;
}

function rateLimit(value: string | undefined, fallback: RateLimit, name: string): RateLimit {
  if (value === undefined) return fallback;
  const perSecond = Number(value);
  if (!Number.isFinite(perSecond) || perSecond < 0) throw new Error(`${name} must be a number of requests per second (0 turns it off)`);
  return { perSecond, burst: Math.max(1, perSecond * 4) };
}

function wholeNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (0 turns it off)`);
  return n;
}

function jobLease(value: string | undefined): number {
  if (value === undefined) return DEFAULT_JOB_LEASE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100) throw new Error('JOB_LEASE_MS must be a whole number of milliseconds, at least 100');
  return ms;
}

/** Settings of `npm start`: flags win over environment variables, which win over defaults. */
export function serverSettings(argv: string[], env: NodeJS.ProcessEnv): ServerSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'public-url': { type: 'string' },
      'log-level': { type: 'string' },
      'trust-proxy': { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port ?? env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port / PORT must be a port number, not "${values.port ?? env.PORT}"`);
  const logLevel = (values['log-level'] ?? env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`--log-level / LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port,
    host: values.host ?? env.HOST ?? '0.0.0.0',
    databaseUrl: values.db ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    publicUrl: values['public-url'] ?? env.PUBLIC_URL,
    logLevel,
    trustProxy: values['trust-proxy'] ?? env.TRUST_PROXY === 'true',
    rateLimitPerIp: rateLimit(env.RATE_LIMIT_PER_IP, DEFAULT_RATE_LIMIT_PER_IP, 'RATE_LIMIT_PER_IP'),
    rateLimitPerSite: rateLimit(env.RATE_LIMIT_PER_SITE, DEFAULT_RATE_LIMIT_PER_SITE, 'RATE_LIMIT_PER_SITE'),
    maxPendingIngest: wholeNumber(env.MAX_PENDING_INGEST, DEFAULT_MAX_PENDING_INGEST, 'MAX_PENDING_INGEST'),
    jobLeaseMs: jobLease(env.JOB_LEASE_MS),
  };
}
