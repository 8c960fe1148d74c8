/**
 * What the site owner set on the script tag (see the README's "Tracking your website"):
 * the tag's data-* attributes over the defaults, read once when the script runs.
 */
export interface Options {
  /** The site key (data-site). */
  site?: string;
  /** The backend's origin; batches go to `${api}/collect`. Default: the script's origin (an inline script's: the page's). */
  api: string;
  /** Present (boolean attribute): `#/route` changes are page views (hash routers). */
  hash?: string;
  /** File extensions that make a link a download, `|`-separated. */
  downloads: string;
  /** "false": ignore Do Not Track and Global Privacy Control. */
  respectDnt?: string;
  /** "required": nothing is recorded until `leadscore('consent', true)`. */
  consent?: string;
  /** Kinds of automatic capture that are off: pageviews outbound downloads forms engagement. */
  noCapture?: string;
  /** Present (boolean attribute): record on localhost, 127.* and file: pages too. */
  localhost?: string;
}

export const DEFAULT_DOWNLOADS = 'pdf|docx?|xlsx?|pptx?|zip|dmg|exe';

export let options: Options;

export const readConfig = (script: HTMLScriptElement): void => {
  options = { api: new URL(script.src, location.href).origin, downloads: DEFAULT_DOWNLOADS, ...script.dataset };
};

/** Whether a kind of automatic capture (pageviews, outbound, downloads, forms, engagement) is on. */
export const captures = (kind: string): boolean => !options.noCapture?.includes(kind);

/** Hash routing: the URL's #fragment is part of the page. */
export const hashRouting = (): boolean => 'hash' in options;
