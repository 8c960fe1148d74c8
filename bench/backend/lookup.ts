/**
 * Batch lookups as the extension makes them for an inbox page: GET /api/leads with 50 emails,
 * 40 of loaded leads (some in other letter case) and 10 that are nobody's, one request at a time
 * so the times are service times, not queueing.
 */
import http from 'node:http';
import { prng } from '../../test/support/prng';
import { LEADS, leadEmail } from './data';
import type { ServerProcess } from './processes';
import { percentile } from '../stats';

export const EMAILS_PER_LOOKUP = 50;
const KNOWN_PER_LOOKUP = 40;

export interface LookupResult {
  requests: number;
  /** Server time from the server's request log: from the first middleware to the finished response object. */
  server: { p50: number; p99: number; max: number };
  /** Round trip measured by the client on the same machine (HTTP over loopback included). */
  client: { p50: number; p99: number };
  /** Leads found per request (the other emails are unknown), checked on every answer. */
  found: number;
}

function emailsFor(rand: () => number): string[] {
  const leads = new Set<number>();
  while (leads.size < KNOWN_PER_LOOKUP) leads.add(Math.floor(rand() * LEADS));
  const known = [...leads].map((i, k) => (k % 4 === 0 ? leadEmail(i).toUpperCase() : leadEmail(i)));
  const unknown = Array.from({ length: EMAILS_PER_LOOKUP - KNOWN_PER_LOOKUP }, (_, k) => `nobody-${k}-${Math.floor(rand() * 1e9)}@nowhere.example`);
  return [...known, ...unknown];
}

function get(agent: http.Agent, url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`lookup answered ${res.statusCode}: ${body.slice(0, 200)}`))));
      })
      .on('error', reject);
  });
}


export async function lookups(server: ServerProcess, token: string, count: number, warmup: number): Promise<LookupResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const rand = prng(4_242);
  const client: number[] = [];
  let found = 0;
  try {
    for (let i = 0; i < warmup + count; i++) {
      if (i === warmup) {
        // Forget the warm-up's log lines, the last of which may still be on its way.
        await new Promise((r) => setTimeout(r, 200));
        server.takeRequestTimes('/api/leads');
      }
      const emails = emailsFor(rand);
      const started = performance.now();
      const body = await get(agent, `${server.url}/api/leads?email=${encodeURIComponent(emails.join(','))}`, token);
      if (i < warmup) continue;
      client.push(performance.now() - started);
      const leads = Object.values((JSON.parse(body) as { leads: Record<string, unknown> }).leads).filter((l) => l !== null).length;
      if (leads !== KNOWN_PER_LOOKUP) throw new Error(`a lookup found ${leads} leads, expected ${KNOWN_PER_LOOKUP}`);
      found += leads;
    }
  } finally {
    agent.destroy();
  }
  // The log line of the last request may still be on its way.
  await new Promise((r) => setTimeout(r, 200));
  const serverTimes = server.takeRequestTimes('/api/leads').sort((a, b) => a - b);
  if (serverTimes.length !== count) throw new Error(`the server logged ${serverTimes.length} lookups, expected ${count}`);
  client.sort((a, b) => a - b);
  return {
    requests: count,
    server: { p50: percentile(serverTimes, 50), p99: percentile(serverTimes, 99), max: serverTimes[serverTimes.length - 1]! },
    client: { p50: percentile(client, 50), p99: percentile(client, 99) },
    found: found / count,
  };
}
