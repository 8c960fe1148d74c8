/** The tracker tag for a site, as `npm start` prints it: the script from this backend, with the site's key. */
export function trackerSnippet(origin: string, siteKey: string): string {
  return `<script defer src="${origin}/t.js" data-site="${siteKey}"></script>`;
}
