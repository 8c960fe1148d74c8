/**
 * Ingest load: POST /collect as the tracker sends it (text/plain JSON, a batch of 10 events, an
 * allowed Origin), every event with a fresh random messageId, from many visitors: most are new
 * and anonymous, a fifth are known visitors of loaded leads, whose scores ingest then updates.
 */
import autocannon from 'autocannon';
import { prng } from '../../test/support/prng';
import { LEADS, leadVisitor } from './data';

export const EVENTS_PER_REQUEST = 10;
export const CONNECTIONS = 32;
const PATHS = ['/', '/pricing', '/product', '/blog/scoring-101', '/docs/api', '/careers', '/about'];

export interface IngestTarget {
  url: string;
  siteKey: string;
  origin: string;
}

export interface IngestResult {
  requestsPerSecond: number;
  eventsPerSecond: number;
  /** Answers that were not 2xx, and connection errors: both must be 0 for a valid run. */
  failures: number;
  accepted: number;
  latencyP50: number;
  latencyP99: number;
  /** Mean size of a request body. */
  bodyBytes: number;
}

let runs = 0;

/** As the tracker makes them (128 random bits): random keys land all over the messageId index, as in production. */
const randomMessageId = () => crypto.getRandomValues(new Uint32Array(4)).join('-');

/** Share of requests from known visitors of loaded leads, as the backend bench sends them; the rest are new anonymous visitors. */
export const KNOWN_SHARE = 0.2;

/** A new body per request: what the tracker would send for one visitor's ten events. */
function bodies(siteKey: string, knownShare: number): { next: () => string; meanBytes: () => number } {
  const run = ++runs;
  const rand = prng(run * 7_777);
  let n = 0;
  let bytes = 0;
  const next = () => {
    n++;
    const known = rand() < knownShare;
    const anonymousId = known ? leadVisitor(Math.floor(rand() * LEADS)) : `anon-${run}-${n}`;
    const now = Date.now();
    const batch = Array.from({ length: EVENTS_PER_REQUEST }, (_, k) => {
      const messageId = randomMessageId();
      const timestamp = new Date(now - (EVENTS_PER_REQUEST - k) * 1_000).toISOString();
      if (k % 5 === 4) return { type: 'track', messageId, timestamp, anonymousId, event: 'Outbound Link Clicked', properties: { url: 'https://partner.example/' } };
      const path = PATHS[Math.floor(rand() * PATHS.length)]!;
      return {
        type: 'page',
        messageId,
        timestamp,
        anonymousId,
        context: { page: { url: `https://www.acme.example${path}?utm_source=bench`, path, referrer: 'https://www.google.com/', title: 'Acme' }, userAgent: 'Mozilla/5.0 (bench)' },
      };
    });
    const body = JSON.stringify({ siteKey, sentAt: new Date(now).toISOString(), batch });
    bytes += body.length;
    return body;
  };
  return { next, meanBytes: () => bytes / n };
}

/** autocannon against each target at once, the connections split between them; totals over all. */
export async function ingestLoad(targets: IngestTarget[], seconds: number, knownShare = KNOWN_SHARE): Promise<IngestResult> {
  const generators = targets.map((t) => bodies(t.siteKey, knownShare));
  const results = await Promise.all(
    targets.map((t, i) => {
      const { next } = generators[i]!;
      return autocannon({
        url: t.url,
        connections: Math.max(1, Math.round(CONNECTIONS / targets.length)),
        pipelining: 1,
        duration: seconds,
        requests: [{ method: 'POST', path: '/collect', headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: t.origin }, setupRequest: (req) => ({ ...req, body: next() }) }],
      });
    }),
  );
  const accepted = results.reduce((s, r) => s + r['2xx'], 0);
  const duration = Math.max(...results.map((r) => r.duration));
  const requestsPerSecond = accepted / duration;
  return {
    requestsPerSecond,
    eventsPerSecond: requestsPerSecond * EVENTS_PER_REQUEST,
    failures: results.reduce((s, r) => s + r.non2xx + r.errors, 0),
    accepted,
    latencyP50: Math.max(...results.map((r) => r.latency.p50)),
    latencyP99: Math.max(...results.map((r) => r.latency.p99)),
    bodyBytes: generators[0]!.meanBytes(),
  };
}
