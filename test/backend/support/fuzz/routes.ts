import { emailLinks } from '../../../../backend/src/domain/email-links';
import { DEFAULT_MODEL } from '../../../../shared/index';
import { corruptText, deepMarker, deleteAt, hostileQueryText, hostileText, invalidUtf8, mutate, notAnObjectText, setAt, strangeValue, toJsonText } from './mutate';
import type { Random } from './random';

/** The tenancy a fuzz run attacks: real keys, tokens and leads, so a request is one defect away from valid. */
export interface FuzzContext {
  origin: string;
  siteKey: string;
  /** Another workspace's site; its allowed origins do not include `origin`. */
  otherSiteKey: string;
  repToken: string;
  adminToken: string;
  revokedToken: string;
  leadId: string;
  /** A lead of the other workspace: to these tokens it must not exist. */
  otherLeadId: string;
  existingEmail: string;
  linkSecret: string;
  ingestBodyLimit: number;
  apiBodyLimit: number;
}

export interface FuzzRequest {
  /** Route, defect and noise, to name a failing case. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** A Buffer when the body is not valid UTF-8. */
  body?: string | Buffer;
}

interface Draft {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  /** undefined: no body. */
  body: unknown;
  /** Set by breakers that corrupt the serialized text itself. */
  text?: string;
  /** Set by breakers that corrupt the UTF-8 encoding of the text. */
  bytes?: Buffer;
}

/** One defect that makes the request invalid whatever the noise did to it before. */
interface Breaker {
  name: string;
  apply(d: Draft, ctx: FuzzContext, rand: Random): void;
}

interface RouteSpec {
  name: string;
  draft(ctx: FuzzContext, rand: Random): Draft;
  breakers: Breaker[];
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const token = (rand: Random) => Array.from({ length: rand.int(8, 40) }, () => rand.pick([...'abcdefghijklmnopqrstuvwxyz0123456789_-'])).join('');

const breaker = (name: string, apply: Breaker['apply']): Breaker => ({ name, apply });

/** Sets one of `values` at the path `at` gives. */
const bodyValue = (name: string, at: (d: Draft, rand: Random) => (string | number)[], values: (rand: Random, ctx: FuzzContext) => unknown[]): Breaker =>
  breaker(name, (d, ctx, rand) => void (d.body = setAt(d.body, at(d, rand), rand.pick(values(rand, ctx)))));

const textBreakers: Breaker[] = [
  breaker('corrupt JSON', (d, _ctx, rand) => void (d.text = corruptText(rand, toJsonText(d.body)))),
  breaker('not an object', (d, _ctx, rand) => void (d.text = notAnObjectText(rand))),
  breaker('invalid UTF-8', (d, _ctx, rand) => void (d.bytes = invalidUtf8(rand, toJsonText(d.body)))),
];

/** Text no store can keep at one of `paths`, a field the route's schema reads (not one it drops). */
const hostileAt = (paths: (d: Draft, rand: Random) => (string | number)[][]): Breaker =>
  breaker('hostile text', (d, _ctx, rand) => void (d.body = setAt(d.body, rand.pick(paths(d, rand)), hostileText(rand))));

const oversize = (limit: (ctx: FuzzContext) => number): Breaker =>
  // Whitespace keeps the JSON valid: only the size is wrong.
  breaker('oversize', (d, ctx) => void (d.text = toJsonText(d.body) + ' '.repeat(limit(ctx) + 1)));

const bearerBreakers: Breaker[] = [
  breaker('no Authorization', (d) => void delete d.headers.Authorization),
  breaker('unknown token', (d, _ctx, rand) => void (d.headers.Authorization = `Bearer ${token(rand)}`)),
  breaker('revoked token', (d, ctx) => void (d.headers.Authorization = `Bearer ${ctx.revokedToken}`)),
  breaker('malformed Authorization', (d, ctx, rand) => {
    d.headers.Authorization = rand.pick([
      'Bearer',
      'Bearer ',
      `Basic ${b64(`${ctx.repToken}:`)}`,
      `Token ${ctx.repToken}`,
      `Bearer ${ctx.repToken}x`,
      `Bearer ${ctx.repToken} ${ctx.repToken}`,
      `Bearer ${ctx.repToken.slice(0, -1)}`,
      `Bearer ${'a'.repeat(5_000)}`,
      `Bearer ${ctx.siteKey}`,
    ]);
  }),
];
const adminBreakers: Breaker[] = [...bearerBreakers, breaker('rep token on an admin route', (d, ctx) => void (d.headers.Authorization = `Bearer ${ctx.repToken}`))];

const basicBreakers: Breaker[] = [
  breaker('no write key', (d) => void delete d.headers.Authorization),
  breaker('unknown write key', (d, _ctx, rand) => void (d.headers.Authorization = `Basic ${b64(`pk_${token(rand)}:`)}`)),
  breaker('hostile write key', (d, _ctx, rand) => void (d.headers.Authorization = `Basic ${b64(`pk_${hostileText(rand)}:`)}`)),
  breaker('malformed Basic auth', (d, ctx, rand) => {
    d.headers.Authorization = rand.pick(['Basic', 'Basic !!!', `Basic ${b64(`:${ctx.siteKey}`)}`, `Bearer ${ctx.siteKey}`, `Basic ${b64('')}`, `Basic ${b64('x'.repeat(200))}`]);
  }),
];

/** Defects of one event at `prefix` (['batch', k] in a batch, [] for a single call). */
function eventBreakers(prefix: (d: Draft, rand: Random) => (string | number)[], options: { typeIsFree: boolean }): Breaker[] {
  const at = (field: string) => (d: Draft, rand: Random) => [...prefix(d, rand), field];
  const tooMuch = (rand: Random) => [
    { big: 'x'.repeat(9_000) },
    { ['k'.repeat(101)]: 1 },
    // Deeper than any parser's recursion should be trusted with, and over 8 KiB.
    { d: deepMarker(rand.pick(['array', 'object']), rand.int(4_200, 60_000)) },
    'props',
    [1, 2],
    7,
  ];
  const breakers = [
    bodyValue('bad timestamp', at('timestamp'), () => ['yesterday', '2025-13-01T00:00:00Z', 12345, '2025-01-01', '', true, '2025-06-01T10:00:00']),
    hostileAt((d, rand) => ['event', 'anonymousId', 'userId', 'messageId', 'name', 'properties.note', 'properties.k\u0000', 'traits.title', 'context.page.title', 'context.campaign.source'].map((f) => [...prefix(d, rand), ...f.split('.')])),
    bodyValue('bad messageId', at('messageId'), () => ['', '   ', 'x'.repeat(201), 42, {}, ['a']]),
    bodyValue('bad event name', at('event'), () => ['', '   ', 42, 'e'.repeat(201), { name: 'x' }]),
    bodyValue('bad properties', at('properties'), tooMuch),
    bodyValue('bad traits', at('traits'), tooMuch),
    bodyValue('bad context', at('context'), () => [{ page: { url: 'u'.repeat(2_049) } }, { page: 'home' }, { campaign: { source: 's'.repeat(501) } }, 'ctx']),
    breaker('no anonymousId or userId', (d, _ctx, rand) => {
      const p = prefix(d, rand);
      d.body = deleteAt(deleteAt(d.body, [...p, 'anonymousId']), [...p, 'userId']);
    }),
  ];
  if (options.typeIsFree) breakers.push(bodyValue('bad type', at('type'), () => ['bogus', 'Track', '', 7, 'page ', null]));
  return breakers;
}

function batchIndex(d: Draft, rand: Random): number {
  const batch = (d.body as { batch?: unknown } | null)?.batch;
  return Array.isArray(batch) && batch.length > 0 ? rand.int(0, batch.length - 1) : 0;
}

function batchBreakers(maxEvents: number): Breaker[] {
  return [
    ...eventBreakers((d, rand) => ['batch', batchIndex(d, rand)], { typeIsFree: true }),
    bodyValue('bad batch', () => ['batch'], () => [[], 'events', {}, null, 3]),
    breaker('too many events', (d, ctx, rand) => {
      const one = validEvent(ctx, rand, 'track');
      d.body = setAt(d.body, ['batch'], Array.from({ length: maxEvents + 1 }, (_, i) => ({ ...one, messageId: `${one.messageId}-${i}` })));
    }),
    bodyValue('bad sentAt', () => ['sentAt'], () => ['now', 0, '2025-13-01T00:00:00Z', {}]),
  ];
}

let messageCounter = 0;
function validEvent(ctx: FuzzContext, rand: Random, type = rand.pick(['page', 'track', 'identify', 'alias'] as const)): Record<string, unknown> {
  const base = { type, messageId: `fuzz-${++messageCounter}-${token(rand)}`, timestamp: '2025-06-01T10:00:00.000Z', anonymousId: `visitor-${rand.int(1, 50)}` };
  switch (type) {
    case 'page':
      return { ...base, context: { page: { path: rand.pick(['/', '/pricing', '/careers']), url: 'https://www.acme.test/pricing' } }, properties: { plan: 'pro' } };
    case 'track':
      return { ...base, event: rand.pick(['Webinar Registered', 'Demo Requested', 'File Downloaded']), properties: { n: rand.int(1, 9) } };
    case 'identify':
      return { ...base, traits: { email: rand.chance(0.5) ? ctx.existingEmail : `new-${rand.int(1, 1e6)}@acme.test`, name: 'Ann' } };
    default:
      return { ...base, userId: `new-${rand.int(1, 1e6)}@acme.test`, previousId: base.anonymousId };
  }
}

const CONTENT_TYPES = ['text/plain;charset=UTF-8', 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/json; charset=latin1', ''];

function collectRoute(): RouteSpec {
  return {
    name: 'POST /collect',
    draft: (ctx, rand) => ({
      method: 'POST',
      path: '/collect',
      query: [],
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: ctx.origin },
      body: { siteKey: ctx.siteKey, ...(rand.chance(0.5) ? { sentAt: '2025-06-01T10:00:05.000Z' } : {}), batch: Array.from({ length: rand.int(1, 4) }, () => validEvent(ctx, rand)) },
    }),
    breakers: [
      ...batchBreakers(100),
      ...textBreakers,
      oversize((ctx) => ctx.ingestBodyLimit),
      bodyValue('bad siteKey', () => ['siteKey'], (rand, ctx) => [`pk_${hostileText(rand)}`, `pk_${token(rand)}`, ctx.otherSiteKey, '', 42, null, 'k'.repeat(101)]),
      breaker('no siteKey', (d) => void (d.body = deleteAt(d.body, ['siteKey']))),
      breaker('origin not allowed', (d, ctx, rand) => {
        const origin = rand.pick(['', 'https://evil.test', 'null', `${ctx.origin}.evil.test`, ctx.origin.replace('https:', 'http:'), `${ctx.origin}:8443`]);
        if (origin) d.headers.Origin = origin;
        else delete d.headers.Origin;
      }),
    ],
  };
}

/** Segment's HTTP Basic auth: the site key as user name, no password. */
const writeKeyAuth = (ctx: FuzzContext) => ({ 'Content-Type': 'application/json', Authorization: `Basic ${b64(`${ctx.siteKey}:`)}` });

function segmentBatchRoute(): RouteSpec {
  return {
    name: 'POST /v1/batch',
    draft: (ctx, rand) => ({
      method: 'POST',
      path: '/v1/batch',
      query: [],
      headers: writeKeyAuth(ctx),
      body: { batch: Array.from({ length: rand.int(1, 4) }, () => validEvent(ctx, rand)) },
    }),
    breakers: [...batchBreakers(500), ...textBreakers, ...basicBreakers, oversize((ctx) => ctx.ingestBodyLimit)],
  };
}

function segmentCallRoute(type: 'track' | 'identify' | 'page' | 'alias'): RouteSpec {
  const specific = type === 'alias' ? [breaker('alias without previousId', (d) => void (d.body = deleteAt(d.body, ['previousId'])))] : [];
  return {
    name: `POST /v1/${type}`,
    draft: (ctx, rand) => ({
      method: 'POST',
      path: `/v1/${type}`,
      query: [],
      headers: writeKeyAuth(ctx),
      body: (({ type: _t, ...rest }) => rest)(validEvent(ctx, rand, type)),
    }),
    breakers: [
      ...eventBreakers(() => [], { typeIsFree: false }),
      ...specific,
      ...textBreakers,
      ...basicBreakers,
      oversize((ctx) => ctx.ingestBodyLimit),
      bodyValue('bad sentAt', () => ['sentAt'], () => ['now', 0, '2025-13-01T00:00:00Z']),
    ],
  };
}

/** screen and group calls are accepted and not stored, so only what is checked before that can break them. */
function segmentIgnoredRoute(type: 'screen' | 'group'): RouteSpec {
  return {
    name: `POST /v1/${type}`,
    draft: (ctx, rand) => ({
      method: 'POST',
      path: `/v1/${type}`,
      query: [],
      headers: writeKeyAuth(ctx),
      body: { anonymousId: `visitor-${rand.int(1, 9)}`, name: 'Home', messageId: token(rand), timestamp: '2025-06-01T10:00:00.000Z' },
    }),
    breakers: [...textBreakers, ...basicBreakers, oversize((ctx) => ctx.ingestBodyLimit), bodyValue('bad sentAt', () => ['sentAt'], () => ['now', 0, [], '2025-13-01T00:00:00Z'])],
  };
}

const bearer = (t: string) => ({ Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' });

function plainApiRoute(method: 'GET', path: string): RouteSpec {
  return { name: `${method} ${path}`, draft: (ctx) => ({ method, path, query: [], headers: bearer(ctx.repToken), body: undefined }), breakers: bearerBreakers };
}

/** A whole model as the body: PUT /api/model, and POST /api/model/check (the same validation, storing nothing). */
function modelBodyRoute(method: 'PUT' | 'POST', path: string): RouteSpec {
  const rule = DEFAULT_MODEL.engagement.rules[0]!;
  return {
    name: `${method} ${path}`,
    draft: (ctx) => ({ method, path, query: [], headers: bearer(ctx.adminToken), body: JSON.parse(JSON.stringify(DEFAULT_MODEL)) as unknown }),
    breakers: [
      ...adminBreakers,
      ...textBreakers,
      oversize((ctx) => ctx.apiBodyLimit),
      bodyValue('bad version', () => ['version'], () => [0, -1, 1.5, '2', null]),
      bodyValue('bad name', () => ['name'], () => ['', 'n'.repeat(121), 5]),
      hostileAt(() => [['name'], ['tiers', 0, 'name'], ['fit', 'rules', 0, 'label']]),
      bodyValue('bad half-life', () => ['halfLifeDays'], () => [0, -1, 'NaN', null, '30']),
      bodyValue('bad fit max', () => ['fit', 'max'], () => [0, -5, 'ten']),
      bodyValue('bad tiers', () => ['tiers'], () => [[], [{ name: 'Cold', min: 0 }, { name: 'Hot', min: 70 }], [{ name: '', min: 0 }], 'Hot']),
      bodyValue('bad grades', () => ['grades'], () => [[], [{ grade: 'E', minFit: 0 }]]),
      bodyValue('bad stages', () => ['stages', 'MQL'], () => [[], [{}], [{ milestone: 'no-such-rule' }], [{ minScore: 'high' }]]),
      bodyValue('duplicate rule ids', () => ['engagement', 'rules'], () => [[rule, rule]]),
      bodyValue('bad regex', () => ['fit', 'rules'], (rand) => [[{ id: 'r1', label: 'x', when: [{ attr: 'jobTitle', op: 'matches', pattern: rand.pick(['(', '[a-', '*', '(?<n>']) }], points: 1 }]]),
      bodyValue('bad rule', () => ['engagement', 'rules'], () => [[{ ...rule, points: 1001 }], [{ ...rule, maxCount: 1001 }], [{ ...rule, id: 'Bad Id' }], [{ ...rule, event: [] }]]),
      bodyValue('unknown key', () => ['extra'], () => [1, 'x', {}]),
    ],
  };
}

const leadIdBreaker = (tokenOf: (ctx: FuzzContext) => string) =>
  breaker('lead id not in this workspace', (d, ctx, rand) => {
    const id = rand.pick([ctx.otherLeadId, `ld_${token(rand)}`, '%00', `${ctx.leadId}%00`, '%ED%A0%80', '%C0%80', 'x'.repeat(5_000), '..%2F..%2Fapi%2Fmodel', '%E0%A4%A', encodeURIComponent('😀'), `${ctx.leadId}x`]);
    d.path = `/api/leads/${id}`;
    d.headers.Authorization = `Bearer ${tokenOf(ctx)}`;
  });

/** An attribute with a value its key never takes. */
const badAttribute = breaker('bad attribute', (d, _ctx, rand) => {
  const [key, value] = rand.pick<[string, unknown]>([
    ['seniority', 'god'],
    ['productFit', 'maybe'],
    ['companySize', -1],
    ['companySize', 1.5],
    ['companySize', '50'],
    ['budget', 'yes'],
    ['rating', 11],
    ['1bad', 1],
    ['has space', 'x'],
    ['custom', { nested: 1 }],
    ['custom', []],
    ['custom', 'x'.repeat(501)],
  ]);
  d.body = setAt(d.body, ['attributes', key], value);
});

const idempotencyBreaker = breaker('bad Idempotency-Key', (d, _ctx, rand) => void (d.headers['Idempotency-Key'] = rand.pick(['', 'k'.repeat(201)])));

function createLeadRoute(): RouteSpec {
  return {
    name: 'POST /api/leads',
    draft: (ctx, rand) => ({
      method: 'POST',
      path: '/api/leads',
      query: [],
      headers: { ...bearer(ctx.repToken), ...(rand.chance(0.3) ? { 'Idempotency-Key': token(rand) } : {}) },
      body: { email: `fuzz-${rand.int(1, 1e9)}@acme.test`, name: 'Fuzz Lead', attributes: { industry: 'Software', companySize: 50 } },
    }),
    breakers: [
      ...bearerBreakers,
      ...textBreakers,
      oversize((ctx) => ctx.apiBodyLimit),
      idempotencyBreaker,
      // Valid in every way but one: the email belongs to a lead already (409).
      bodyValue('existing email', () => ['email'], (_rand, ctx) => [ctx.existingEmail]),
      breaker('neither email nor LinkedIn URL', (d) => void (d.body = deleteAt(deleteAt(d.body, ['email']), ['linkedinUrl']))),
      bodyValue('bad email', () => ['email'], () => ['not-an-email', 'a@', `${'x'.repeat(321)}@a.test`, 42, '']),
      badAttribute,
      bodyValue('bad name', () => ['name'], () => ['', '   ', 'n'.repeat(201), 7]),
      hostileAt(() => [['name'], ['attributes', 'industry'], ['attributes', 'note']]),
      bodyValue('bad LinkedIn URL', () => ['linkedinUrl'], () => ['not a url', `https://${'x'.repeat(500)}.test`, 5]),
      bodyValue('unknown key', () => ['stage'], () => ['SQL', 'x']),
    ],
  };
}

function patchLeadRoute(): RouteSpec {
  return {
    name: 'PATCH /api/leads/:id',
    draft: (ctx, rand) => ({
      method: 'PATCH',
      path: `/api/leads/${ctx.leadId}`,
      query: [],
      headers: { ...bearer(ctx.repToken), ...(rand.chance(0.3) ? { 'Idempotency-Key': token(rand) } : {}) },
      body: { attributes: { industry: 'Retail', budget: true }, rating: 7, ...(rand.chance(0.3) ? { stage: 'MQL' } : {}) },
    }),
    breakers: [
      ...bearerBreakers,
      ...textBreakers,
      oversize((ctx) => ctx.apiBodyLimit),
      idempotencyBreaker,
      leadIdBreaker((ctx) => ctx.repToken),
      breaker('empty patch', (d) => void (d.body = {})),
      bodyValue('bad rating', () => ['rating'], () => [11, -1, 5.5, '5', 'NaN', true]),
      bodyValue('bad stage', () => ['stage'], () => ['Bogus', 'mql', 3, '']),
      bodyValue('bad outcome', () => ['outcome'], () => ['maybe', 1, 'Won']),
      bodyValue('derived attribute', () => ['attributes', 'emailDomainType'], () => ['free', 'business']),
      badAttribute,
      bodyValue('bad LinkedIn URL', () => ['linkedinUrl'], () => ['not a url', 5]),
      bodyValue('bad name', () => ['name'], () => ['', '   ', 'n'.repeat(201)]),
      hostileAt(() => [['name'], ['attributes', 'industry'], ['attributes', 'note']]),
      bodyValue('unknown key', (_d, rand) => [rand.pick(['email', 'score', 'extra'])], () => ['x@y.test', 100, true]),
    ],
  };
}

function leadDetailRoute(): RouteSpec {
  return {
    name: 'GET /api/leads/:id',
    draft: (ctx) => ({ method: 'GET', path: `/api/leads/${ctx.leadId}`, query: [['limit', '10']], headers: bearer(ctx.repToken), body: undefined }),
    breakers: [
      ...bearerBreakers,
      leadIdBreaker((ctx) => ctx.repToken),
      breaker('bad cursor', (d, _ctx, rand) => void d.query.push(['cursor', rand.pick(['!!!', b64('abc'), Buffer.from('1.2.3').toString('base64url'), 'x'.repeat(101), Buffer.from('-1.5').toString('base64url')])])),
      breaker('bad limit', (d, _ctx, rand) => void (d.query = [['limit', rand.pick(['0', '201', 'abc', '1.5', '-1', 'NaN'])]])),
    ],
  };
}

function deleteLeadRoute(): RouteSpec {
  return {
    name: 'DELETE /api/leads/:id',
    draft: (ctx) => ({ method: 'DELETE', path: `/api/leads/${ctx.leadId}`, query: [], headers: bearer(ctx.adminToken), body: undefined }),
    breakers: [...adminBreakers, leadIdBreaker((ctx) => ctx.adminToken)],
  };
}

function lookupRoute(): RouteSpec {
  return {
    name: 'GET /api/leads',
    draft: (ctx) => ({ method: 'GET', path: '/api/leads', query: [['email', `${ctx.existingEmail},nobody@acme.test`]], headers: bearer(ctx.repToken), body: undefined }),
    breakers: [
      ...bearerBreakers,
      breaker('nothing asked', (d, _ctx, rand) => void (d.query = rand.pick([[], [['email', '']], [['email', ' , ,']], [['linkedin', '']]] as [string, string][][]))),
      breaker('hostile email', (d, ctx, rand) => void (d.query = [['email', `${hostileQueryText(rand)}${ctx.existingEmail}`]])),
      breaker('too many emails', (d) => void (d.query = [['email', Array.from({ length: 101 }, (_, i) => `p${i}@acme.test`).join(',')]])),
      breaker('too long', (d, _ctx, rand) => void (d.query = [rand.pick([['email', `${'x'.repeat(321)}@a.test`], ['linkedin', `https://www.linkedin.com/in/${'x'.repeat(500)}`]] as [string, string][])])),
    ],
  };
}

function topRoute(): RouteSpec {
  return {
    name: 'GET /api/leads/top',
    draft: (ctx) => ({ method: 'GET', path: '/api/leads/top', query: [['tier', 'Hot'], ['limit', '10']], headers: bearer(ctx.repToken), body: undefined }),
    breakers: [
      ...bearerBreakers,
      breaker('bad tier', (d, _ctx, rand) => void (d.query = [['tier', rand.pick(['Bogus', '', 't'.repeat(31), 'hot', '__proto__', 'constructor', hostileQueryText(rand)])]])),
      breaker('bad limit', (d, _ctx, rand) => void (d.query = [['limit', rand.pick(['0', '101', 'abc', '1.5', '-3', 'Infinity', 'NaN', '1e3'])]])),
    ],
  };
}

function emailRoute(kind: 'open' | 'click'): RouteSpec {
  const linkQuery = (ctx: FuzzContext, k: 'open' | 'click', params: { email: string; campaign?: string }, target = 'https://www.acme.test/pricing') => {
    const links = emailLinks('http://localhost', ctx.linkSecret, { siteKey: ctx.siteKey, ...params }, target);
    return [...new URL(k === 'open' ? links.openPixelUrl : links.clickUrl!).searchParams.entries()];
  };
  const set = (d: Draft, key: string, value: string | undefined) => {
    d.query = d.query.filter(([k]) => k !== key);
    if (value !== undefined) d.query.push([key, value]);
  };
  const tamper = (key: string, values: (ctx: FuzzContext, rand: Random) => (string | undefined)[]) =>
    breaker(`tampered ${key}`, (d, ctx, rand) => set(d, key, rand.pick(values(ctx, rand))));
  return {
    name: `GET /email/${kind}`,
    draft: (ctx, rand) => ({ method: 'GET', path: `/email/${kind}`, query: linkQuery(ctx, kind, { email: ctx.existingEmail, campaign: rand.chance(0.5) ? 'q1' : undefined }), headers: {}, body: undefined }),
    breakers: [
      tamper('sig', (ctx, rand) => [undefined, '', token(rand), 'x'.repeat(101), linkQuery(ctx, kind === 'open' ? 'click' : 'open', { email: ctx.existingEmail }).find(([k]) => k === 'sig')![1]]),
      tamper('e', () => ['someone-else@acme.test', 'not-an-email', undefined, `${'x'.repeat(321)}@a.test`]),
      tamper('c', (_ctx, rand) => ['q2', 'c'.repeat(201), '', `q${hostileQueryText(rand)}`]),
      tamper('s', (ctx, rand) => [ctx.otherSiteKey, `pk_${token(rand)}`, 's'.repeat(101), undefined]),
      ...(kind === 'click' ? [tamper('u', () => ['https://evil.test/', 'javascript:alert(1)', '//evil.test', 'data:text/html,x', undefined, `https://www.acme.test/${'p'.repeat(2_049)}`])] : []),
    ],
  };
}

function pathSegment(text: string): string {
  try {
    return encodeURIComponent(text).slice(0, 300);
  } catch {
    // A lone surrogate cannot be percent-encoded as UTF-8.
    return '%ED%A0%80';
  }
}

/** Paths no route serves, and known paths with the wrong method. */
function unknownRoute(): RouteSpec {
  return {
    name: 'unknown route',
    draft: (ctx, rand) => ({ method: 'GET', path: '/', query: [], headers: rand.chance(0.5) ? bearer(ctx.adminToken) : {}, body: rand.chance(0.5) ? { a: 1 } : undefined }),
    breakers: [
      breaker('unknown path', (d, ctx, rand) => {
        const junk = `zz${pathSegment(String(strangeValue(rand)))}`;
        d.method = rand.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
        d.path = rand.pick([`/api/${junk}`, `/v1/${junk}`, `/${junk}`, `/collect/${junk}`, `/demo/${junk}`, `/email/${junk}`, `/api/leads/${ctx.leadId}/${junk}`, `/v1/batch/${junk}`]);
      }),
      breaker('wrong method', (d, _ctx, rand) => {
        [d.method, d.path] = rand.pick([
          ['PUT', '/collect'],
          ['GET', '/collect'],
          ['DELETE', '/v1/batch'],
          ['GET', '/v1/track'],
          ['POST', '/api/model'],
          ['DELETE', '/api/model'],
          ['PATCH', '/api/leads'],
          ['PUT', '/api/leads/top'],
          ['POST', '/healthz'],
          ['PUT', '/t.js'],
          ['POST', '/email/open'],
          ['POST', '/v1/Track'],
          ['DELETE', '/openapi.json'],
          ['POST', '/docs'],
          ['PUT', '/demo/pricing'],
          ['PATCH', '/'],
          ['OPTIONS', '/api/leads'],
        ] as [string, string][]);
      }),
    ],
  };
}

export const ROUTES: RouteSpec[] = [
  collectRoute(),
  segmentBatchRoute(),
  segmentCallRoute('track'),
  segmentCallRoute('identify'),
  segmentCallRoute('page'),
  segmentCallRoute('alias'),
  segmentIgnoredRoute('screen'),
  segmentIgnoredRoute('group'),
  plainApiRoute('GET', '/api/me'),
  plainApiRoute('GET', '/api/model'),
  modelBodyRoute('PUT', '/api/model'),
  modelBodyRoute('POST', '/api/model/check'),
  lookupRoute(),
  topRoute(),
  createLeadRoute(),
  leadDetailRoute(),
  patchLeadRoute(),
  deleteLeadRoute(),
  emailRoute('open'),
  emailRoute('click'),
  unknownRoute(),
];

/** Random changes that may or may not leave the request valid; the breaker applied after them makes sure it is not. */
function addNoise(d: Draft, rand: Random): string[] {
  const applied: string[] = [];
  for (let n = rand.int(0, 3); n > 0; n--) {
    const kind = rand.int(0, 3);
    if (kind <= 1 && d.body !== undefined) {
      d.body = mutate(rand, d.body);
      applied.push('body');
    } else if (kind === 2) {
      const type = rand.pick(CONTENT_TYPES);
      if (type) d.headers['Content-Type'] = type;
      else delete d.headers['Content-Type'];
      applied.push('content-type');
    } else {
      d.query.push([rand.pick(['x', '__proto__', 'constructor', 'utm_source', 'a[b]']), String(strangeValue(rand)).slice(0, 500)]);
      applied.push('query');
    }
  }
  return applied;
}

/** One request, invalid by construction: a route's valid request, some noise, then one defect. */
export function fuzzRequest(ctx: FuzzContext, rand: Random, spec = rand.pick(ROUTES)): FuzzRequest {
  const d = spec.draft(ctx, rand);
  const noise = addNoise(d, rand);
  const defect = rand.pick(spec.breakers);
  defect.apply(d, ctx, rand);
  const query = d.query.length ? `?${new URLSearchParams(d.query).toString()}` : '';
  const sendsBody = d.method !== 'GET' && d.method !== 'HEAD';
  const body = sendsBody ? (d.bytes ?? d.text ?? (d.body === undefined ? undefined : toJsonText(d.body))) : undefined;
  return {
    label: `${spec.name} / ${defect.name}${noise.length ? ` + noise(${noise.join(', ')})` : ''}`,
    method: d.method,
    path: `${d.path}${query}`,
    headers: d.headers,
    ...(body === undefined ? {} : { body }),
  };
}
