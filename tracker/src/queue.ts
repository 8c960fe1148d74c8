import type { TrackedEvent } from '../../shared/schemas/event';
import { options } from './config';
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

const save = (events: TrackedEvent[]) => write('q', events[0] && JSON.stringify(events.slice(-MAX_QUEUED)));

/** At most one request per interval; after each failure the interval doubles, up to 16x (48 s). */
export const schedule = (): void => {
  timer ||= setTimeout(flush, INTERVAL_MS << failures);
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

/**
 * Sends what is queued. Never throws and never rejects: everything that can fail is inside the
 * try, and an async function cannot hand a throw to safe() (it would become a rejection).
 */
export const flush = async (beacon?: boolean): Promise<void> => {
  clearTimeout(timer);
  timer = 0;
  const batch = queued();
  if (!batch[0] || (busy && !beacon)) return;
  busy = true;
  try {
    const endpoint = options.api + '/collect';
    const body = JSON.stringify({ siteKey: options.site, batch });
    // A beacon leaves busy set: see `busy`. (Every browser that runs ES2020 has sendBeacon.)
    if (beacon && navigator.sendBeacon(endpoint, body)) return;
    // keepalive bodies are limited to 64 KiB: a bigger backlog goes without it (while the page lives).
    const { status } = await fetch(endpoint, { method: 'POST', body, keepalive: body.length < 2e4 });
    // 5xx and 429 are worth retrying; any other answer (2xx, or a 4xx that would repeat) is final.
    if (status > 499 || status == 429) throw 0;
    failures = 0;
    // The body holds every id it delivered; a random 4-number id cannot appear in it by chance.
    save(queued().filter((e) => !body.includes(e.messageId)));
  } catch {
    // Capped here rather than with Math.min in schedule(): fewer bytes.
    if (failures < 4) failures++;
  }
  busy = false;
  // Whatever is left (a failed batch, events queued meanwhile) goes next; with nothing left the
  // timer finds nothing to send, which costs less than checking here.
  schedule();
};
