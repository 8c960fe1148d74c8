/** Runs fn, swallowing its errors: the tracker must never throw into the host page. */
export const safe =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch {}
  };

/**
 * A passive listener on window in the capture phase: it sees events dispatched on the window,
 * the document and every element (click, submit, visibilitychange...) before the page can stop
 * them, never blocks scrolling, and never throws.
 */
export const listen = <E extends Event>(type: string, fn: (event: E) => void): void =>
  addEventListener(type, safe(fn) as EventListener, { passive: true, capture: true });
