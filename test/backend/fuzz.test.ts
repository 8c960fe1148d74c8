import { createHash } from 'node:crypto';
import http from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appConfig } from '../../backend/src/config';
import { createLogger } from '../../backend/src/log';
import { startServer, type RunningServer } from '../../backend/src/server';
import { ApiError } from '../../shared/index';
import { fuzzRequest, ROUTES, type FuzzContext, type FuzzRequest } from './support/fuzz/routes';
import { random } from './support/fuzz/random';
import { hasPostgres } from '../support/env';
import { collect, event, openFixture, ORIGIN, type AppFixture, type StoreKind } from './support/app';

/** FUZZ_SEED replays a run; FUZZ_CASES runs more (or fewer) cases. */
const SEED = Number(process.env.FUZZ_SEED ?? 20250602);
const CASES = Number(process.env.FUZZ_CASES ?? 6_000);
const SOCKET_CASES = 400;
const PER_REQUEST_TIMEOUT_MS = 10_000;
const off = { perSecond: 0, burst: 1 };

interface Snapshot {
  counts: Record<string, number>;
  /** sha256 of every row of every table. */
  hash: string;
}

async function snapshot(f: AppFixture): Promise<Snapshot> {
  const dump = await f.dump();
  const counts = Object.fromEntries(Object.entries(dump).map(([table, rows]) => [table, rows.length]));
  return { counts, hash: createHash('sha256').update(JSON.stringify(dump)).digest('hex') };
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** What is wrong with an answer to an invalid request, or null: it must be a 4xx ApiError in JSON. */
function problemWith(answer: Answer): string | null {
  if (answer.status < 400 || answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (!answer.contentType.includes('application/json')) return `content-type "${answer.contentType}"`;
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return `body is not JSON: ${answer.body.slice(0, 200)}`;
  }
  const parsed = ApiError.safeParse(json);
  if (!parsed.success || parsed.data.message.length === 0) return `body is not an ApiError: ${answer.body.slice(0, 200)}`;
  return null;
}

function withTimeout<T>(work: Promise<T>, label: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${PER_REQUEST_TIMEOUT_MS} ms: ${label}`)), PER_REQUEST_TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const describeCase = (request: FuzzRequest, problem: string) => `${request.label} | ${request.method} ${request.path.slice(0, 120)} | ${problem}`;

/** node:http rather than fetch: it sends what it is told (any header, chunked bodies) and gives back what came. */
function send(url: string, request: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer | Buffer[] }, agent: http.Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A Content-Length for every string body: Node sends a DELETE's body without one otherwise, which no server can frame.
    const length = typeof request.body === 'string' || Buffer.isBuffer(request.body) ? { 'Content-Length': String(Buffer.byteLength(request.body)) } : {};
    const req = http.request(`${url}${request.path}`, { method: request.method, headers: { ...request.headers, ...length }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (Array.isArray(request.body)) for (const chunk of request.body) req.write(chunk);
    else if (Buffer.isBuffer(request.body)) req.write(request.body);
    else if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

/** Bytes written to a raw socket, and the status line that comes back (Node's HTTP parser answers these, not the app). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let reply = '';
    socket.on('data', (d) => (reply += d));
    socket.on('close', () => resolve(reply.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
    socket.setTimeout(PER_REQUEST_TIMEOUT_MS, () => socket.destroy(new Error('raw socket timed out')));
  });
}

/** The whole attack on one store: both must answer the same 4xx, and neither may write. */
function describeFuzz(kind: StoreKind) {
  describe(`fuzzing every public route with invalid requests (${kind})`, () => {
    let f: AppFixture;
    let ctx: FuzzContext;
    let before: Snapshot;
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const unhandled: string[] = [];

    beforeAll(async () => {
      const logger = createLogger('error', (line) => unhandled.push(line));
      f = await openFixture(kind, { rateLimitPerIp: off, rateLimitPerSite: off, logger });
      const existingEmail = 'ann@acme.test';
      // Real data to attack: a lead with history, a lead in the other workspace, a revoked token.
      const seeded = await collect(f.app, {
        siteKey: f.site.key,
        batch: [
          event({ anonymousId: 'visitor-1' }),
          event({ type: 'identify', anonymousId: 'visitor-1', traits: { email: existingEmail } }),
          event({ type: 'track', anonymousId: 'visitor-1', event: 'Webinar Registered' }),
          event({ anonymousId: 'visitor-2' }),
        ],
      });
      expect(seeded.status).toBe(202);
      const lead = (await f.store.findLeadsByEmails(f.workspace.id, [existingEmail])).get(existingEmail)!;
      const otherLead = await f.store.createLead(f.other.workspace.id, { email: 'bob@globex.test' }, { name: 'test' }, Date.now());
      const revoked = await f.store.createToken(f.workspace.id, 'admin', 'gone', Date.now());
      await f.store.revokeToken(revoked.token.id, Date.now());
      ctx = {
        origin: ORIGIN,
        siteKey: f.site.key,
        otherSiteKey: f.other.site.key,
        repToken: f.repToken,
        adminToken: f.adminToken,
        revokedToken: revoked.secret,
        leadId: lead.id,
        otherLeadId: otherLead.lead.id,
        existingEmail,
        linkSecret: await f.store.linkSecret(f.workspace.id),
        ingestBodyLimit: appConfig().ingestBodyLimit,
        apiBodyLimit: appConfig().apiBodyLimit,
      };
      before = await snapshot(f);
    });

    afterAll(async () => {
      await f?.close();
    });

    it(`answers ${CASES} broken requests through app.request() with a 4xx ApiError and writes nothing`, async () => {
      const rand = random(SEED);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      for (let i = 0; i < CASES; i++) {
        // Round-robin over routes, so every route gets its share whatever the seed.
        const request = fuzzRequest(ctx, rand, ROUTES[i % ROUTES.length]);
        const response = await withTimeout(
          Promise.resolve(f.app.request(request.path, { method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }) })),
          request.label,
        );
        const answer = { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const problem = problemWith(answer);
        if (problem) failures.push(describeCase(request, problem));
      }

      expect(failures.slice(0, 15), `seed ${SEED}: ${failures.length} of ${CASES} cases failed; server errors logged: ${unhandled.slice(0, 3).join('\n')}`).toEqual([]);
      expect(unhandled).toEqual([]);
      // The defects really reach the checks behind the first one: validation, auth, not-found, conflicts, limits.
      expect([...statuses.keys()].sort()).toEqual([400, 401, 403, 404, 409, 413]);
      expect(await snapshot(f)).toEqual(before);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await f.app.request('/healthz')).status).toBe(200);
    }, 180_000);

    it('refuses JSON nested too deep to validate, on every JSON route, instead of overflowing the stack', async () => {
      const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
      const trackEvent = (extra: string) => `{"type":"track","messageId":"deep-1","timestamp":"2025-06-01T10:00:00.000Z","anonymousId":"v","event":"x",${extra}}`;
      const basic = `Basic ${Buffer.from(`${ctx.siteKey}:`).toString('base64')}`;
      const cases: [string, string, Record<string, string>, string][] = [
        ['POST', '/collect', { Origin: ORIGIN }, `{"siteKey":"${ctx.siteKey}","batch":[${trackEvent(`"properties":{"p":${deep(5_000)}}`)}]}`],
        // context takes unknown keys, so only the depth limit stands between this and JSON.stringify's recursion.
        ['POST', '/collect', { Origin: ORIGIN }, `{"siteKey":"${ctx.siteKey}","batch":[${trackEvent(`"context":{"extra":${deep(60_000)}}`)}]}`],
        ['POST', '/v1/track', { Authorization: basic }, trackEvent(`"properties":${deep(50_000)}`)],
        ['POST', '/v1/batch', { Authorization: basic }, `{"batch":[${trackEvent(`"traits":${deep(50_000)}`)}]}`],
        ['PATCH', `/api/leads/${ctx.leadId}`, { Authorization: `Bearer ${ctx.repToken}` }, `{"attributes":${deep(30_000)}}`],
        ['PUT', '/api/model', { Authorization: `Bearer ${ctx.adminToken}` }, `{"fit":${deep(30_000)}}`],
      ];
      for (const [method, path, headers, body] of cases) {
        const response = await f.app.request(path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body });
        expect({ path, status: response.status, error: ((await response.json()) as { error: string }).error }).toEqual({ path, status: 400, error: 'invalid_json' });
      }
      // Ordinary nesting is fine: 60 levels of properties are stored.
      const nested = await f.app.request('/v1/track', { method: 'POST', headers: { Authorization: basic, 'Content-Type': 'application/json' }, body: trackEvent(`"properties":{"p":${deep(57)}}`) });
      expect(nested.status).toBe(200);
      // That event is now part of the baseline the socket tests compare against.
      before = await snapshot(f);
      expect(unhandled).toEqual([]);
    });

    describe('over a real socket', () => {
      let server: RunningServer;
      let agent: http.Agent;

      beforeAll(async () => {
        server = await startServer({ store: f.store, port: 0, host: '127.0.0.1', config: { rateLimitPerIp: off, rateLimitPerSite: off, logger: createLogger('error', (line) => unhandled.push(line)) } });
        server = { ...server, url: server.url.replace('localhost', '127.0.0.1') };
        agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      });

      afterAll(async () => {
        agent?.destroy();
        // The fixture closes the store again; closing twice is fine.
        await server?.close();
      });

      it(`answers a concurrent burst of ${SOCKET_CASES} broken requests with 4xx ApiErrors and stays up`, async () => {
        const rand = random(SEED + 1);
        const requests = Array.from({ length: SOCKET_CASES }, (_, i) => fuzzRequest(ctx, rand, ROUTES[i % ROUTES.length]));
        const failures: string[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < requests.length) {
              const request = requests[next++]!;
              const problem = problemWith(await withTimeout(send(server.url, request, agent), request.label));
              if (problem) failures.push(describeCase(request, problem));
            }
          }),
        );
        expect(failures.slice(0, 15), `seed ${SEED + 1}`).toEqual([]);
        expect(unhandled).toEqual([]);
        expect(await snapshot(f)).toEqual(before);
        expect((await send(server.url, { method: 'GET', path: '/healthz', headers: {} }, agent)).status).toBe(200);
      }, 120_000);

      it('refuses bodies that are too large however they arrive, and malformed HTTP, without going down', async () => {
        const batch = JSON.stringify({ siteKey: ctx.siteKey, batch: [event()] });
        const headers = { 'Content-Type': 'text/plain', Origin: ORIGIN };
        const oversized = Array.from({ length: 70 }, () => Buffer.alloc(8 * 1024, 0x20));
        const cases: [string, Promise<Answer>][] = [
          // Chunked, no Content-Length: the limit is enforced while reading.
          ['chunked over the limit', send(server.url, { method: 'POST', path: '/collect', headers: { ...headers, 'Transfer-Encoding': 'chunked' }, body: [Buffer.from(batch), ...oversized] }, agent)],
          ['chunked invalid JSON', send(server.url, { method: 'POST', path: '/collect', headers: { ...headers, 'Transfer-Encoding': 'chunked' }, body: [Buffer.from(batch.slice(0, 40))] }, agent)],
          ['chunked Segment batch over the limit', send(server.url, { method: 'POST', path: '/v1/batch', headers: { 'Transfer-Encoding': 'chunked', Authorization: `Basic ${Buffer.from(`${ctx.siteKey}:`).toString('base64')}` }, body: [Buffer.from('{"batch":['), ...oversized] }, agent)],
          ['chunked model over the API limit', send(server.url, { method: 'PUT', path: '/api/model', headers: { 'Transfer-Encoding': 'chunked', Authorization: `Bearer ${ctx.adminToken}` }, body: oversized.slice(0, 40) }, agent)],
        ];
        for (const [name, answer] of cases) expect(problemWith(await withTimeout(answer, name)), name).toBeNull();

        const port = Number(new URL(server.url).port);
        // A declared Content-Length over the limit is refused before the body is read.
        const declared = await rawExchange(port, `POST /collect HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Length: 99999999\r\n\r\n{"siteKey":`);
        expect(declared).toMatch(/^HTTP\/1\.1 413/);
        // Garbage that is not HTTP is refused by Node's parser, before the app.
        for (const bytes of ['GARBAGE\r\n\r\n', 'POST /collect HTTP/1.1\r\nContent-Length: abc\r\n\r\n', 'POST /collect HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
          expect(await rawExchange(port, bytes)).toMatch(/^HTTP\/1\.1 400/);
        }
        // A client that disappears mid-body.
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(`POST /collect HTTP/1.1\r\nHost: x\r\nOrigin: ${ORIGIN}\r\nContent-Length: 5000\r\n\r\n${batch.slice(0, 30)}`);
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on('close', () => resolve());
          socket.on('error', () => {});
        });

        expect(unhandled).toEqual([]);
        expect(await snapshot(f)).toEqual(before);
        expect((await send(server.url, { method: 'GET', path: '/healthz', headers: {} }, agent)).status).toBe(200);
      }, 60_000);
    });
  });
}

describeFuzz('sqlite');
describe.runIf(await hasPostgres())('PostgreSQL', () => describeFuzz('postgres'));
