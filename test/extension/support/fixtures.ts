import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../e2e/fixtures/');

export type Site = 'gmail' | 'outlook' | 'linkedin';

export const SITE_URLS: Record<Site, string> = {
  gmail: 'https://mail.google.com/mail/u/0/#inbox',
  outlook: 'https://outlook.office.com/mail/inbox',
  linkedin: 'https://www.linkedin.com/in/jane-doe/',
};

/**
 * Puts one of the site fixtures (the same pages the real-browser test serves) into the test's
 * document at the site's URL. Scripts do not run here: tests play the site's part themselves.
 */
export function mountFixture(site: Site, url: string = SITE_URLS[site], file: string = site): Document {
  setUrl(url);
  const parsed = new DOMParser().parseFromString(readFileSync(`${FIXTURES}${file}.html`, 'utf8'), 'text/html');
  parsed.querySelectorAll('script').forEach((s) => s.remove());
  document.head.replaceChildren(...[...parsed.head.childNodes].map((n) => document.importNode(n, true)));
  document.body.replaceChildren(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
  return document;
}

export function setUrl(url: string): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
}

/** Gmail's hash navigation: the main region's content is replaced, the page is not reloaded. */
export function showGmailView(view: 'inbox' | 'thread'): void {
  setUrl(view === 'inbox' ? SITE_URLS.gmail : `${SITE_URLS.gmail}/FMfcgzQXJWDsKmDm`);
  const template = document.getElementById(`${view}-view`) as HTMLTemplateElement;
  document.getElementById('main')!.replaceChildren(template.content.cloneNode(true));
}

/** Gmail appending rows as more mail arrives or the list scrolls. */
export function addGmailRows(people: { email: string; name: string }[]): void {
  const tbody = document.getElementById('rows')!;
  for (const person of people) {
    const row = tbody.querySelector('tr')!.cloneNode(true) as HTMLTableRowElement;
    const span = row.querySelector('span[email]')!;
    span.setAttribute('email', person.email);
    span.setAttribute('name', person.name);
    span.textContent = person.name;
    tbody.append(row);
  }
}

export const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
/** Lets pending promise callbacks and Preact's batched renders run. */
export const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
};
