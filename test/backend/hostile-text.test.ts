import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../shared/index';
import { createLogger } from '../../backend/src/log';
import { hasPostgres } from '../support/env';
import { collect, event, jsonRequest, openFixture, ORIGIN, type AppFixture, type StoreKind } from './support/app';

const off = { perSecond: 0, burst: 1 };
const NUL = '\u0000';
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

interface Answer {
  status: number;
  error: string;
  paths: (string | number)[][];
}

async function answer(response: Response): Promise<Answer> {
  const body = (await response.json()) as { error: string; issues?: { path: (string | number)[] }[] };
  return { status: response.status, error: body.error, paths: (body.issues ?? []).map((i) => i.path) };
}

/**
 * Text no store can keep (a NUL, an unpaired surrogate) in each kind of field, on each store:
 * a 400 naming the field, nothing written, and nothing logged as a server error.
 */
function describeHostileText(kind: StoreKind) {
  describe(`hostile text on ${kind}`, () => {
    let f: AppFixture;
    const logged: string[] = [];
    let before: Record<string, unknown[]>;

    beforeAll(async () => {
      f = await openFixture(kind, { rateLimitPerIp: off, rateLimitPerSite: off, logger: createLogger('warn', (line) => logged.push(line)) });
      expect((await collect(f.app, { siteKey: f.site.key, batch: [event({ anonymousId: 'v-1', type: 'identify', traits: { email: 'ann@acme.test' } })] })).status).toBe(202);
      before = await f.dump();
    });
    afterAll(async () => {
      await f?.close();
    });

    const segment = (path: string, body: unknown, key = f.site.key) =>
      Promise.resolve(f.app.request(path, { method: 'POST', headers: { Authorization: basic(key), 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
    const collectOne = (overrides: Parameters<typeof event>[0]) => collect(f.app, { siteKey: f.site.key, batch: [event(overrides)] });
    const leadId = async () => (await f.store.findLeadsByEmails(f.workspace.id, ['ann@acme.test'])).get('ann@acme.test')!.id;

    it('refuses a NUL in a site key or write key, though no key is valid', async () => {
      expect(await answer(await collect(f.app, { siteKey: `pk_${NUL}`, batch: [event()] }))).toEqual({ status: 400, error: 'invalid_text', paths: [['siteKey']] });
      expect(await answer(await segment('/v1/track', { anonymousId: 'v', event: 'x' }, `pk_${NUL}`))).toEqual({ status: 400, error: 'invalid_text', paths: [['writeKey']] });
    });

    it('refuses a NUL in an event name, an anonymousId and a trait value', async () => {
      expect(await answer(await collectOne({ type: 'track', event: `Demo${NUL}` }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'event']] });
      expect(await answer(await collectOne({ anonymousId: `v${NUL}` }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'anonymousId']] });
      expect(await answer(await collectOne({ type: 'identify', traits: { email: 'bo@acme.test', title: `VP${NUL}` } }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'traits', 'title']] });
      expect(await answer(await segment('/v1/track', { anonymousId: 'v', event: `Demo${NUL}`, messageId: 'nul-1' }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'event']] });
    });

    it('refuses a Segment batch with one poison event among valid ones, and stores none of them', async () => {
      const batch = [
        { type: 'track', anonymousId: 'v-2', event: 'Webinar Registered', messageId: 'ok-1' },
        { type: 'identify', anonymousId: 'v-2', traits: { email: 'cy@acme.test', name: `Cy${NUL}` }, messageId: 'poison-1' },
        { type: 'page', anonymousId: 'v-2', messageId: 'ok-2' },
      ];
      expect(await answer(await segment('/v1/batch', { batch }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 1, 'traits', 'name']] });
    });

    it('refuses a NUL in a lookup email and in a lead id', async () => {
      expect(await answer(await jsonRequest(f.app, 'GET', `/api/leads?email=ann%00@acme.test`, f.repToken))).toEqual({ status: 400, error: 'invalid_query', paths: [['email', 0]] });
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const body = method === 'PATCH' ? { rating: 3 } : undefined;
        expect(await answer(await jsonRequest(f.app, method, `/api/leads/${await leadId()}%00`, f.adminToken, body))).toEqual({ status: 400, error: 'invalid_text', paths: [['id']] });
      }
    });

    it('refuses a NUL in a new lead, a patch and the model', async () => {
      expect(await answer(await jsonRequest(f.app, 'POST', '/api/leads', f.repToken, { email: 'dee@acme.test', name: `Dee${NUL}` }))).toEqual({ status: 400, error: 'invalid_body', paths: [['name']] });
      expect(await answer(await jsonRequest(f.app, 'PATCH', `/api/leads/${await leadId()}`, f.repToken, { attributes: { note: `x${NUL}` } }))).toEqual({ status: 400, error: 'invalid_body', paths: [['attributes', 'note']] });
      const model = { ...DEFAULT_MODEL, name: `Model${NUL}` };
      expect(await answer(await jsonRequest(f.app, 'PUT', '/api/model', f.adminToken, model))).toEqual({ status: 400, error: 'invalid_model', paths: [['name']] });
    });

    it('refuses unpaired surrogates, which would otherwise be stored as one U+FFFD id and counted as a duplicate', async () => {
      const batch = [event({ messageId: 'lone-\ud800' }), event({ messageId: 'lone-\ud801' })];
      expect(await answer(await collect(f.app, { siteKey: f.site.key, batch }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'messageId'], ['batch', 1, 'messageId']] });
      expect(await answer(await segment('/v1/page', { anonymousId: '\udc00', messageId: 'lone-2' }))).toEqual({ status: 400, error: 'invalid_batch', paths: [['batch', 0, 'anonymousId']] });
    });

    it('refuses a body that is not valid UTF-8 instead of replacing what it cannot read', async () => {
      const [head, tail] = JSON.stringify({ siteKey: f.site.key, batch: [event({ type: 'track', event: 'Demo @@' })] }).split('@@') as [string, string];
      // Overlong NUL, an encoded surrogate, a byte UTF-8 never uses, a truncated sequence: each inside the event name.
      for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xe2, 0x82]]) {
        const body = Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)]);
        const response = await f.app.request('/collect', { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: ORIGIN }, body });
        expect(await answer(response)).toEqual({ status: 400, error: 'invalid_json', paths: [] });
      }
    });

    it('has written nothing and logged no server error', async () => {
      expect(await f.dump()).toEqual(before);
      expect(logged).toEqual([]);
    });
  });
}

describeHostileText('sqlite');
describe.runIf(await hasPostgres())('PostgreSQL', () => describeHostileText('postgres'));
