import { linkedinKey } from '../keys';
import type { SiteAdapter } from './types';

const TEXT_LIMIT = { name: 200, headline: 300 };

/**
 * The headline is the first text after the name's block: climb from the heading to the first
 * ancestor that has a following sibling (the name may sit in a link in a span in a div), and take
 * that sibling's text. No class names: LinkedIn's are generated and change.
 */
function headlineAfter(heading: Element, section: Element | null): string | undefined {
  for (let block: Element | null = heading; block && block !== section; block = block.parentElement) {
    const next = block.nextElementSibling;
    if (!next) continue;
    if (next.getAttribute('aria-hidden') === 'true') continue;
    return next.textContent?.trim().slice(0, TEXT_LIMIT.headline) || undefined;
  }
  return undefined;
}

// LinkedIn is a single-page app: the script runs on every page of the site and finds a person
// only while the URL is a profile. A profile is identified by its URL alone (the page follows URL
// changes even when LinkedIn renders nothing, see content/url-watch.ts). Of the page we read only
// the name heading (to anchor the badge and show the name in the popup) and the headline after it.
export const LinkedInAdapter: SiteAdapter = {
  name: 'linkedin',
  matches: (location) => location.hostname === 'www.linkedin.com',
  findPeople(root, location) {
    // A profile's subpages (/in/<slug>/details/...) are still that person.
    const profile = /^\/in\/[^/]+/.exec(location.pathname)?.[0];
    const key = profile ? linkedinKey(`https://www.linkedin.com${profile}`) : null;
    const heading = root.querySelector('main h1, [role="main"] h1');
    if (!key || !heading) return [];
    const name = heading.textContent?.trim().slice(0, TEXT_LIMIT.name) || undefined;
    const headline = headlineAfter(heading, heading.closest('section'));
    // Appended inside the heading: on the name's own line, also when the heading is in a link.
    return [{ key, anchor: heading, kind: 'profile', place: 'append', ...(name ? { name } : {}), ...(headline ? { headline } : {}) }];
  },
};
