import { options } from './config';
import { read } from './storage';

/** Automation and crawlers (their visits are not leads), and development machines unless allowed. */
export const skipped = (): boolean =>
  navigator.webdriver ||
  /bot|spider|headless/i.test(navigator.userAgent) ||
  // file: pages have an empty hostname.
  (!('localhost' in options) && /^(localhost|127\.|\[::1\]|$)/.test(location.hostname));

/**
 * Whether anything may be stored or sent right now. The visitor's choice ('1' / '0' under ls_c)
 * wins; until there is one, data-consent="required" means no, and otherwise DNT and GPC opt the
 * visitor out unless the site set data-respect-dnt="false".
 */
export const allowed = (): boolean => {
  const choice = read('c') || options.consent;
  const n = navigator as Navigator & { globalPrivacyControl?: boolean };
  return choice ? choice == '1' : !(options.respectDnt != 'false' && (n.doNotTrack == '1' || !!n.globalPrivacyControl));
};
