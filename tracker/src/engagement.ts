import { EventName } from '../../shared/schemas/event-names';
import { captures } from './config';
import { track } from './events';
import { listen } from './listen';

/** Engaged time: milliseconds the page was both visible and focused. */
let engagedMs = 0;
/** When the current engaged stretch began, or 0 while the page is hidden or unfocused. */
let since = 0;

/** Closes the running stretch and opens a new one if the page is still engaged. */
export const tick = (): void => {
  const now = Date.now();
  if (since) engagedMs += now - since;
  since = !document.hidden && document.hasFocus() ? now : 0;
};

/** Sends the time engaged since the last report (on hide, leave or SPA navigation), if 1 s or more. */
export const reportEngaged = (): void => {
  if (!captures('engagement')) return;
  tick();
  if (engagedMs >= 1e3) track(EventName.engagedTime, { seconds: (engagedMs / 1e3) | 0 });
  engagedMs = 0;
};

/** Focus changes; visibility changes come through start's visibilitychange listener. */
export const watchEngagement = (): void => {
  tick();
  listen('focus', tick);
  listen('blur', tick);
};
