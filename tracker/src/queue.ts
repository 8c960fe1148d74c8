import type { TrackedEvent } from '../../shared/schemas/event';
import { options } from './config';
import { safe } from './listen';
import { read, write } from './storage';

/**
 * Delivery. localStorage is the queue, so every tab and the next page load see undelivered
 * events; an event leaves it only when the backend has answered. fetch keepalive is the normal
 * transport because its (CORS) response says whether the batch was accepted; sendBeacon is used
 * only on pagehide, when no response could be read any more: what it carried stays queued, the
 * next page load sends it again, and the backend's messageId dedupe drops the copy.
 */
const MAX_QUEUED = 40;
const INTERVAL_MS = 3_000;

let timer: ReturnType<typeof setTimeout> | 0 = 0;
let failures = 0;
/**
 * One request at a time: a flush while one is out waits for it. A beacon (pagehide) does not
 * wait, and after it only beacons go out until the page comes back from the bfcache.
 */
let busy = false;

export const queued = (): TrackedEvent[] => {
  try {
    return JSON.parse(read('q')!);
  } catch {
    return [];
  }
};

const save = (events: TrackedEvent[]): void => {
  write('q', events[0] && JSON.stringify(events.slice(-MAX_QUEUED)));
};

/** At most one request per interval; after failures the interval doubles, up to 16x (48 s). */
export const schedule = (): void => {
  timer ||= setTimeout(flush, INTERVAL_MS << Math.min(failures, 4));
};

export const enqueue = (event: TrackedEvent): void => {
  save([...queued(), event]);
  schedule();
};

/** Back from the bfcache: what the pagehide beacon carried is unconfirmed, send it again. */
export const resume = (): void => {
  busy = false;
  schedule();
};

export const flush = safe((beacon?: boolean): void => {
  clearTimeout(timer);
  timer = 0;
  const batch = queued();
  if (!batch[0] || (busy && !beacon)) return;
  const endpoint = options.api + '/collect';
  const body = JSON.stringify({ siteKey: options.site, batch });
  busy = true;
  if (beacon && navigator.sendBeacon?.(endpoint, body)) return;
  // keepalive bodies are limited to 64 KiB: a bigger backlog goes without it (while the page lives).
  fetch(endpoint, { method: 'POST', body, keepalive: body.length < 2e4 })
    .then((response) => {
      // 5xx and 429 are worth retrying; any other answer (2xx, or a 4xx that would repeat) is final.
      if (response.status > 499 || response.status == 429) throw 0;
      failures = 0;
      // The body holds every id it delivered; a random 4-number id cannot appear in it by chance.
      save(queued().filter((e) => !body.includes(e.messageId)));
    })
    .catch(() => failures++)
    .then(() => {
      busy = false;
      if (queued()[0]) schedule();
    });
});
