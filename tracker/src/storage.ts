/**
 * Everything the tracker keeps, under short `ls_` keys in localStorage, used through its named
 * properties (smaller than getItem/setItem). Where site data is blocked, localStorage throws:
 * the callers' guards swallow that, so such a visitor is simply not recorded.
 */

type Store = Record<string, string>;

/** The value, or undefined (never null, so it can go straight into an optional field). */
export const read = (key: string): string | undefined => (localStorage as unknown as Store)['ls_' + key];

/**
 * Writes a value, or removes the key when the value is undefined (removeItem: in strict code
 * `delete` throws where a storage reports a missing key as not deletable).
 */
export const write = (key: string, value?: string): void => {
  value == null ? localStorage.removeItem('ls_' + key) : ((localStorage as unknown as Store)['ls_' + key] = value);
};

/** 128 random bits; crypto.randomUUID is missing on plain-http pages. */
export const newId = (): string => crypto.getRandomValues(new Uint32Array(4)).join('-');

/** The visitor id, created on first use; only called once recording is allowed. */
export const anonymousId = (): string => {
  let id = read('a');
  if (!id) write('a', (id = newId()));
  return id;
};
