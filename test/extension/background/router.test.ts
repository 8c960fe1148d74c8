// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBackend, type FakeBackend } from '../support/backend';
import { makeLead } from '../support/leads';
import { backgroundServices, EXTENSION_ID, senders } from '../support/services';

let backend: FakeBackend;
const alice = makeLead({ id: 'alice', email: 'alice@acme.example' });

beforeEach(async () => {
  backend = await startFakeBackend({ leads: [alice] });
});
afterEach(() => backend.close());

async function configured() {
  const bg = backgroundServices();
  await bg.route({ type: 'settings.save', backendUrl: backend.url, token: backend.token }, senders.options);
  return bg;
}

describe('who may talk to the background', () => {
  it('answers a lookup from its own content script on a mail site', async () => {
    const { route } = await configured();
    expect(await route({ type: 'lookup', keys: ['email:alice@acme.example'] }, senders.gmail)).toEqual({ ok: true, data: { 'email:alice@acme.example': alice } });
  });

  it.each([
    ['another extension', { id: 'someotherextensionidxxxxxxxxxxxx', url: 'chrome-extension://someotherextensionidxxxxxxxxxxxx/x.html' }],
    ['a sender without an id', { url: 'https://mail.google.com/' }],
    ['our script on a site we do not run on', { id: EXTENSION_ID, url: 'https://evil.example/', tab: { id: 1 } }],
    ['our script on plain http', { id: EXTENSION_ID, url: 'http://mail.google.com/', tab: { id: 1 } }],
    ['a look-alike host', { id: EXTENSION_ID, url: 'https://mail.google.com.evil.example/', tab: { id: 1 } }],
    ['a page claiming our id from another origin', { id: EXTENSION_ID, url: 'chrome-extension://abcdefghijklmnopabcdefghijklmnopx/popup.html' }],
  ])('refuses %s', async (_what, sender) => {
    const { route } = await configured();
    expect(await route({ type: 'lookup', keys: ['email:alice@acme.example'] }, sender)).toMatchObject({ ok: false, error: 'forbidden_sender' });
  });

  it('lets content scripts only look up and open the tagger: settings, tags and tokens are for extension pages', async () => {
    const { route } = await configured();
    for (const message of [{ type: 'settings.get' }, { type: 'settings.save', backendUrl: 'http://evil.example', token: 'x' }, { type: 'lead.tag', leadId: 'alice', patch: { rating: 1 } }, { type: 'connection.test' }]) {
      expect(await route(message, senders.gmail)).toMatchObject({ ok: false, error: 'invalid_message' });
    }
    expect(backend.state.applied).toEqual([]);
  });
});

describe('message validation', () => {
  it.each([
    ['not an object', 'lookup'],
    ['an unknown type', { type: 'lead.erase', id: 'alice' }],
    ['no keys', { type: 'lookup' }],
    ['keys that are not a list', { type: 'lookup', keys: 'email:alice@acme.example' }],
    ['an empty list', { type: 'lookup', keys: [] }],
    ['more than 200 keys', { type: 'lookup', keys: Array.from({ length: 201 }, (_, i) => `email:p${i}@x.example`) }],
    ['a key that is not an address or a profile', { type: 'lookup', keys: ['email:nobody'] }],
    ['a LinkedIn key for another site', { type: 'lookup', keys: ['li:https://evil.example/in/x'] }],
    ['extra fields', { type: 'lookup', keys: ['email:alice@acme.example'], token: 'x' }],
  ])('rejects a message with %s', async (_what, message) => {
    const { route } = await configured();
    const answer = await route(message, senders.gmail);
    expect(answer).toMatchObject({ ok: false, error: 'invalid_message' });
    expect(backend.state.requests.filter((r) => r.startsWith('GET /api/leads'))).toEqual([]);
  });

  it('rejects a malformed tag from a page before anything is queued or sent', async () => {
    const { route, services } = await configured();
    for (const patch of [{}, { rating: 11 }, { attributes: { seniority: 'intern' } }, { attributes: { emailDomainType: 'free' } }, { hack: true }]) {
      expect(await route({ type: 'lead.tag', leadId: 'alice', patch }, senders.popup)).toMatchObject({ ok: false, error: 'invalid_message' });
    }
    expect((await services.queue.status()).pending).toEqual([]);
    expect(backend.state.applied).toEqual([]);
  });
});

describe('the token stays in the background', () => {
  it('is never part of any answer, even to the options page', async () => {
    const { route } = await configured();
    const answers = await Promise.all([
      route({ type: 'settings.get' }, senders.options),
      route({ type: 'settings.save', backendUrl: backend.url }, senders.options),
      route({ type: 'connection.test' }, senders.options),
      route({ type: 'lookup', keys: ['email:alice@acme.example'] }, senders.gmail),
    ]);
    expect(answers[0]).toEqual({ ok: true, data: { backendUrl: backend.url, hasToken: true } });
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(backend.token);
  });
});

describe('tagging through the background', () => {
  it('saves a tag and hands the new lead to open pages', async () => {
    const { route, pushed } = await configured();
    const answer = await route({ type: 'lead.tag', leadId: 'alice', patch: { attributes: { industry: 'Software' } } }, senders.popup);
    expect(answer).toMatchObject({ ok: true, data: { state: 'saved', lead: { id: 'alice' } } });
    expect(pushed.map((l) => l.id)).toEqual(['alice']);
  });

  it('says "queued" when the backend is down, and delivers later', async () => {
    const { route, services } = await configured();
    backend.state.down = true;
    expect(await route({ type: 'lead.tag', leadId: 'alice', patch: { rating: 9 } }, senders.popup)).toMatchObject({ ok: true, data: { state: 'queued', pending: 1 } });
    backend.state.down = false;
    await services.queue.flush();
    expect(backend.state.applied.map((p) => p.body)).toEqual([{ rating: 9 }]);
  });

  it('links a LinkedIn profile to the lead with that email', async () => {
    const { route, services } = await configured();
    const answer = await route({ type: 'lead.link', linkedinUrl: 'https://www.linkedin.com/in/Alice-Ex/?trk=x', email: 'alice@acme.example' }, senders.popup);
    expect(answer).toMatchObject({ ok: true, data: { state: 'saved', lead: { linkedinUrl: 'https://www.linkedin.com/in/alice-ex' } } });
    const cached = await services.cache.read(['li:https://www.linkedin.com/in/alice-ex'], Date.now());
    expect(cached.get('li:https://www.linkedin.com/in/alice-ex')?.lead?.id).toBe('alice');
  });

  it('opens the tagger for a content script', async () => {
    const { route, opened } = await configured();
    expect(await route({ type: 'openTagger', leadId: 'alice' }, senders.gmail)).toEqual({ ok: true, data: null });
    expect(opened).toEqual(['alice']);
  });
});
