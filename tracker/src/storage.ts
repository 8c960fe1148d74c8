/**
 * Everything the tracker keeps, under short `ls_` keys in localStorage. Where site data is
 * blocked, localStorage throws: the callers' guards swallow that, so such a visitor is simply not
 * recorded.
 */

/** The value, or undefined (never null, so it can go straight into an optional field). */
export const read = (key: string): string | undefined => (localStorage as unknown as Record<string, string>)['ls_' + key];

/**
 * Writes a value, or removes the key when there is none (the tracker never stores ''), and
 * returns the value. One call with a computed method name is smaller than two branches.
 */
export const write = <V extends string | undefined>(key: string, value?: V): V => (
  localStorage[value ? 'setItem' : 'removeItem']('ls_' + key, value!), value as V
);

/** 128 random bits; crypto.randomUUID is missing on plain-http pages. */
export const newId = (): string => crypto.getRandomValues(new Uint32Array(4)).join('-');

/** The visitor id, created on first use; only called once recording is allowed. */
export const anonymousId = (): string => read('a') || write('a', newId());
