// No zod here: the console imports it, and its first load stays small.

/** The tag a site owner pastes into their <head>: the tracker from this backend, with the site's key. */
export function trackerSnippet(backendUrl: string, siteKey: string): string {
  return `<script defer src="${backendUrl}/t.js" data-site="${siteKey}"></script>`;
}
