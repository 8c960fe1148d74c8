import { linkedinKey } from '../keys';
import type { SiteAdapter } from './types';

// LinkedIn is a single-page app: the script runs on every page of the site and finds a person
// only while the URL is a profile. A profile is identified by its URL alone. Of the page we read only the name heading (to
// anchor the badge and show the name in the popup) and the headline next to it.
export const LinkedInAdapter: SiteAdapter = {
  name: 'linkedin',
  matches: (location) => location.hostname === 'www.linkedin.com',
  findPeople(root, location) {
    // A profile's subpages (/in/<slug>/details/...) are still that person.
    const profile = /^\/in\/[^/]+/.exec(location.pathname)?.[0];
    const key = profile ? linkedinKey(`https://www.linkedin.com${profile}`) : null;
    const heading = root.querySelector('main h1');
    if (!key || !heading) return [];
    const name = heading.textContent?.trim().slice(0, 200) || undefined;
    const headline = heading.closest('section')?.querySelector('.text-body-medium')?.textContent?.trim().slice(0, 300) || undefined;
    return [{ key, anchor: heading, kind: 'profile', place: 'append', ...(name ? { name } : {}), ...(headline ? { headline } : {}) }];
  },
};
