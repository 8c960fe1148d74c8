import { describe, expect, it } from 'vitest';
import { EventName } from '../../shared/schemas/event';
import { bootTracker, delivered, storedQueue, useCollector } from './support/harness';

const collector = useCollector('http://www.example.com/resources');

const tracked = () => storedQueue().filter((e) => e.type !== 'page');

/** Clicks like a visitor; the page cancels navigation so the test stays on its page. */
function click(html: string, button = 0): void {
  document.body.innerHTML = html;
  const target = document.querySelector('[data-target]') ?? document.body.firstElementChild!;
  window.addEventListener('click', (e) => e.preventDefault(), { once: true, capture: true });
  target.dispatchEvent(new MouseEvent(button === 0 ? 'click' : 'auxclick', { bubbles: true, cancelable: true, button }));
}

/** Submits like a visitor; the page's own handler cancels it (as SPAs do). */
function submit(html: string): void {
  document.body.innerHTML = html;
  const form = document.querySelector('form')!;
  form.addEventListener('submit', (e) => e.preventDefault(), { once: true });
  form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
}

describe('link clicks', () => {
  it('records outbound links (left and middle click), even when the page stops the event', async () => {
    const tracker = await bootTracker(collector.current);
    click('<a href="https://partner.example.org/offer"><span data-target>Partner</span></a>');
    document.body.addEventListener('click', (e) => e.stopPropagation());
    click('<a href="https://docs.example.net/">Docs</a>', 1);
    const events = await delivered(tracker, collector.current, 3);
    expect(events.slice(1)).toMatchObject([
      { type: 'track', event: EventName.outboundClicked, properties: { url: 'https://partner.example.org/offer' } },
      { type: 'track', event: EventName.outboundClicked, properties: { url: 'https://docs.example.net/' } },
    ]);
  });

  it('ignores same-site links, mailto:/tel:/javascript: links, right clicks and anything marked data-leadscore-ignore', async () => {
    await bootTracker(collector.current);
    click('<a href="/pricing">Pricing</a>');
    click('<a href="mailto:sales@example.com">Mail</a>');
    click('<a href="tel:+15551234">Call</a>');
    click('<a href="javascript:void(0)">Menu</a>');
    click('<a href="https://partner.example.org/">Partner</a>', 2);
    click('<a data-leadscore-ignore href="https://partner.example.org/">Partner</a>');
    click('<nav data-leadscore-ignore><a data-target href="https://partner.example.org/">Partner</a></nav>');
    expect(tracked()).toEqual([]);
  });

  it('records file downloads by extension or download attribute, on any host', async () => {
    await bootTracker(collector.current);
    click('<a href="/files/Whitepaper.PDF?v=2">Whitepaper</a>');
    click('<a href="https://cdn.example.org/deck.pptx">Deck</a>');
    click('<a href="/export" download>Export</a>');
    click('<a href="/pdf-guide">Not a file</a>');
    expect(tracked().map((e) => [e.event, e.properties!.url])).toEqual([
      [EventName.fileDownloaded, 'http://www.example.com/files/Whitepaper.PDF?v=2'],
      [EventName.fileDownloaded, 'https://cdn.example.org/deck.pptx'],
      [EventName.fileDownloaded, 'http://www.example.com/export'],
    ]);
  });

  it('takes the download extensions from data-downloads', async () => {
    await bootTracker(collector.current, { downloads: 'csv|epub' });
    click('<a href="/data.csv">CSV</a>');
    click('<a href="/book.epub">Book</a>');
    click('<a href="/guide.pdf">PDF</a>');
    expect(tracked().map((e) => e.properties!.url)).toEqual(['http://www.example.com/data.csv', 'http://www.example.com/book.epub']);
  });

  it('can be switched off per kind with data-no-capture', async () => {
    await bootTracker(collector.current, { 'no-capture': 'outbound downloads' });
    click('<a href="https://partner.example.org/">Partner</a>');
    click('<a href="/guide.pdf">PDF</a>');
    expect(tracked()).toEqual([]);
  });
});

describe('form submissions', () => {
  const signup = `
    <form id="webinar" action="/register">
      <input name="name" value="Ada Lovelace">
      <input type="email" name="work_email" value=" Ada@Example.com ">
      <input type="password" name="password" value="hunter2-secret">
      <input name="card" autocomplete="cc-number" value="4111 1111 1111 1111">
      <input type="hidden" name="token" value="hidden-token-123">
      <input name="ssn" data-leadscore-ignore value="078-05-1120">
    </form>`;

  it('identifies the visitor by the email typed, then records the submission', async () => {
    const tracker = await bootTracker(collector.current);
    submit(signup);
    const [page, identify, form] = await delivered(tracker, collector.current, 3);
    expect(identify).toMatchObject({ type: 'identify', userId: 'Ada@Example.com', anonymousId: page!.anonymousId, traits: { email: 'Ada@Example.com' } });
    expect(form).toMatchObject({ type: 'track', event: EventName.formSubmitted, userId: 'Ada@Example.com', properties: { formId: 'webinar' } });
  });

  it('never sends passwords, card numbers, hidden fields, ignored fields or any other value typed', async () => {
    const tracker = await bootTracker(collector.current);
    submit(signup);
    await delivered(tracker, collector.current, 3);
    const wire = collector.current.requests.map((r) => r.body).join('\n');
    for (const secret of ['hunter2', '4111', 'hidden-token', '078-05', 'Lovelace']) expect(wire).not.toContain(secret);
  });

  it('finds the email by the field name or id when the type is text, but not in hidden, password or ignored fields', async () => {
    await bootTracker(collector.current);
    submit('<form name="contact"><input id="contact-email" value="grace@example.com"></form>');
    expect(tracked().map((e) => e.userId ?? null)).toEqual(['grace@example.com', 'grace@example.com']);
    expect(tracked()[1]!.properties).toEqual({ formId: 'contact' });

    localStorage.removeItem('ls_u');
    localStorage.removeItem('ls_q');
    submit(`<form>
      <input type="hidden" name="email" value="hidden@example.com">
      <input type="password" name="email_password" value="pw@example.com">
      <input name="email" data-leadscore-ignore value="ignored@example.com">
      <input name="email2" value="not an email">
    </form>`);
    expect(tracked().map((e) => e.type)).toEqual(['track']);
    expect(tracked()[0]!.userId).toBeUndefined();
  });

  it('skips forms marked data-leadscore-ignore entirely, and all forms with data-no-capture="forms"', async () => {
    await bootTracker(collector.current);
    submit('<form data-leadscore-ignore><input type="email" value="ada@example.com"></form>');
    expect(tracked()).toEqual([]);

    await bootTracker(collector.current, { 'no-capture': 'forms' });
    submit('<form><input type="email" value="ada@example.com"></form>');
    // The first tracker instance still listens (one page, two scripts), so count only the second's view.
    expect(tracked().filter((e) => e.event === EventName.formSubmitted)).toHaveLength(1);
  });
});
