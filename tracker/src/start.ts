import { captureClicks, captureForms } from './autocapture';
import { captures, readConfig } from './config';
import { reportEngaged, tick, watchEngagement } from './engagement';
import { identify, track } from './events';
import { listen, safe } from './listen';
import { page, pageAgain, updateContext, watchNavigation } from './pageviews';
import { allowed, skipped } from './privacy';
import { flush, resume, schedule } from './queue';
import { write } from './storage';

type Command = (...args: unknown[]) => void;
declare global {
  interface Window {
    /** The queue stub keeps calls made before the script loaded in `q`. */
    leadscore?: Command & { q?: Iterable<unknown>[] };
  }
}

const consent = (granted: unknown): void => {
  const before = allowed();
  write('c', granted ? '1' : '0');
  if (!granted) {
    // Withdrawn: forget the visitor and everything not yet delivered; only the refusal is kept.
    reset();
    write('q');
  } else if (!before) {
    pageAgain();
  }
};

/** Forgets who the visitor is (log out): the next event starts a new anonymous visitor. */
const reset = (): void => {
  write('a');
  write('u');
};

const commands: Record<string, Command> = { track, identify, page, consent, reset };

export const run: Command = safe((name, ...args) => commands[name as string]?.(...args));

/** Everything that needs the page: runs once it has loaded, off the critical path. */
const init = (): void => {
  updateContext();
  // map (its result unused): shorter than a for...of over `q || []`.
  window.leadscore?.q?.map((args) => run(...args));
  window.leadscore = run;
  watchEngagement();
  if (captures('pageviews')) {
    watchNavigation();
    page();
  }
  captureClicks();
  if (captures('forms')) captureForms();
  listen('visibilitychange', () => {
    if (document.hidden) {
      reportEngaged();
      flush();
    } else tick();
  });
  listen('pagehide', () => {
    reportEngaged();
    flush(true);
  });
  listen('pageshow', (event: PageTransitionEvent) => {
    if (!event.persisted) return;
    // Back from the bfcache: a new view.
    resume();
    pageAgain();
  });
  // Events left over from an earlier page (backend down, or beaconed unconfirmed) go out now.
  schedule();
};

export const start = (script: HTMLScriptElement): void => {
  readConfig(script);
  if (skipped()) return;
  // The window sees only its own load event (a subresource's never reaches it), so listen() fits.
  document.readyState == 'complete' ? setTimeout(safe(init)) : listen('load', init);
};
