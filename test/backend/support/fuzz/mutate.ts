import type { Random } from './random';

/**
 * JSON too deep to build as a value (JSON.stringify would overflow first) is spliced into the
 * text: a value may be this marker, which toJsonText replaces by `depth` levels of nesting.
 */
const DEEP = /"\\u0001deep:(array|object):(\d+)"/g;

export function deepMarker(kind: 'array' | 'object', depth: number): string {
  return `\u0001deep:${kind}:${depth}`;
}

export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(DEEP, (_, kind: string, n: string) => {
    const depth = Number(n);
    // Objects come wrapped in an array, so a marker that replaced a whole body never becomes a valid object body.
    return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : `[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`;
  });
}

/** Sets an own property, even one named __proto__ (plain assignment would change the prototype instead). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** What JSON.parse makes of a body that tries prototype pollution: own keys named __proto__ / constructor. */
export function polluter(rand: Random): Record<string, unknown> {
  const payload = { polluted: true, prototype: { polluted: true }, isAdmin: true };
  const o: Record<string, unknown> = {};
  setOwn(o, rand.pick(['__proto__', 'constructor', 'prototype']), payload);
  return o;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Values that are wrong for nearly every field: wrong types, edge numbers, numbers as text, odd text. */
export function strangeValue(rand: Random): unknown {
  switch (rand.int(0, 17)) {
    case 0:
      return rand.pick(['', ' ', '\t\n', '\u0000', 'null', 'undefined', 'true']);
    case 1:
      return 'x'.repeat(rand.pick([101, 201, 321, 501, 2_049, 9_000, 70_000]));
    case 2:
      return rand.pick(['𝒜😀👩‍👩‍👧', '\u202eevil\u202c', '\ud800', 'ﬀ\u0301\u200b', 'Ωmega ñ', '日本語のテキスト', '\uFEFF']);
    case 3:
      return rand.pick(['42', '-1', '0', '1.5', '1e309', '0x10', '  7  ', '١٢']);
    case 4:
      return rand.pick(['NaN', 'Infinity', '-Infinity', '-0']);
    case 5:
      return rand.pick([-1, 0, -0, 0.5, 1e308, -1e308, 2 ** 53 + 1, Number.MIN_VALUE, 11, 101, 1001]);
    case 6:
      return rand.pick([true, false, null]);
    case 7:
      return [];
    case 8:
      return {};
    case 9:
      return [strangeValue(rand)];
    case 10:
      return { [rand.pick(['a', 'type', 'email', '$where', '0'])]: strangeValue(rand) };
    case 11:
      return rand.pick(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
    case 12:
      return rand.pick(['<img src=x onerror=alert(1)>', "'; drop table leads; --", '../../etc/passwd', '%00', '${7*7}', '{{7*7}}']);
    case 13:
      return rand.pick(['2025-13-45T25:61:61Z', '2025-01-01', 'yesterday', '1700000000000', '0000-00-00T00:00:00Z', '+275760-09-13T00:00:00.001Z']);
    case 14:
      return deepMarker(rand.pick(['array', 'object']), rand.int(100, 30_000));
    case 15:
      return polluter(rand);
    case 16:
      return rand.pick(['javascript:alert(1)', 'data:text/html,x', '//evil.test', 'https://evil.test/', 'mailto:a@b.c']);
    default:
      return Array.from({ length: rand.int(2, 6) }, () => strangeValue(rand));
  }
}

/** Text no store can keep: a NUL, or a UTF-16 surrogate without its pair (alone, first, last, reversed). */
export function hostileText(rand: Random): string {
  return rand.pick(['\u0000', 'a\u0000b', 'Demo\u0000', '\ud800', 'x\udfff', 'cut \ud83d', '\ude00\ud83d', 'k\udc00\u0000']);
}

/** What of that a URL can carry: percent-encoding turns a lone surrogate into U+FFFD, but a NUL stays a NUL. */
export function hostileQueryText(rand: Random): string {
  return rand.pick(['\u0000', 'a\u0000b', '\u0000\u0000']);
}

/** Byte sequences UTF-8 forbids: overlong encodings (of NUL and '/'), encoded surrogates, stray and truncated bytes, 5-byte forms. */
const INVALID_UTF8 = [[0xc0, 0x80], [0xc0, 0xaf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xff], [0xfe], [0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]];

/** `text` as UTF-8 with an invalid sequence spliced in (inside a string value when there is one). */
export function invalidUtf8(rand: Random, text: string): Buffer {
  const quotes = [...text.matchAll(/"/g)].map((m) => m.index);
  const at = quotes.length > 0 && rand.chance(0.8) ? rand.pick(quotes) + 1 : rand.int(0, text.length);
  return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(rand.pick(INVALID_UTF8)), Buffer.from(text.slice(at))]);
}

/** One random change somewhere in `value` (which is never modified): the result may or may not still be valid. */
export function mutate(rand: Random, value: unknown): unknown {
  if (Array.isArray(value) && value.length > 0 && rand.chance(0.7)) {
    const copy = [...value];
    const i = rand.int(0, copy.length - 1);
    copy[i] = mutate(rand, copy[i]);
    return copy;
  }
  if (isObject(value) && Object.keys(value).length > 0 && rand.chance(0.7)) {
    const copy = { ...value };
    const key = rand.pick(Object.keys(copy));
    setOwn(copy, key, mutate(rand, copy[key]));
    return copy;
  }
  return mutateHere(rand, value);
}

function mutateHere(rand: Random, value: unknown): unknown {
  const op = rand.int(0, 7);
  if (op === 0 && isObject(value) && Object.keys(value).length > 0) {
    const copy = { ...value };
    delete copy[rand.pick(Object.keys(copy))];
    return copy;
  }
  if (op === 1 && isObject(value)) {
    const copy = { ...value };
    const key = rand.pick(['__proto__', 'constructor', 'prototype', 'extra', 'k'.repeat(101), '', '😀']);
    setOwn(copy, key, rand.chance(0.5) ? { polluted: true, prototype: { polluted: true } } : strangeValue(rand));
    return copy;
  }
  if (op === 2 && Array.isArray(value)) {
    if (rand.chance(0.3)) return [];
    const item = value[rand.int(0, Math.max(0, value.length - 1))];
    return [...value, ...Array.from({ length: rand.pick([1, 5, 100, 120]) }, () => item)];
  }
  if (op === 3 && typeof value === 'number') return rand.pick([String(value), `${value}px`, -value, value * 1e300, value + 0.5]);
  if (op === 4 && typeof value === 'string') return rand.pick([value.toUpperCase(), ` ${value} `, value + value.repeat(50), `${value}\u0000`, value.slice(1), `${value}😀`]);
  if (op === 5) return rand.chance(0.5) ? [value] : { value };
  return strangeValue(rand);
}

/** Sets value at path; a container on the way that is not an object or array is left alone (the body is already malformed there). */
export function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...root];
    copy[head] = setAt(copy[head] ?? {}, rest, value);
    return copy;
  }
  if (!isObject(root)) return root;
  const copy = { ...root };
  setOwn(copy, String(head), setAt(copy[String(head)] ?? {}, rest, value));
  return copy;
}

export function deleteAt(root: unknown, path: (string | number)[]): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return root;
  if (Array.isArray(root) && typeof head === 'number') {
    const copy = [...root];
    copy[head] = deleteAt(copy[head], rest);
    return copy;
  }
  if (!isObject(root)) return root;
  const copy = { ...root };
  if (rest.length === 0) delete copy[String(head)];
  else setOwn(copy, String(head), deleteAt(copy[String(head)], rest));
  return copy;
}

/** JSON text that no parser accepts, made from valid text. */
export function corruptText(rand: Random, text: string): string {
  const corrupted = corruptOnce(rand, text);
  try {
    JSON.parse(corrupted);
  } catch {
    return corrupted;
  }
  return `${corrupted} x`;
}

function corruptOnce(rand: Random, text: string): string {
  switch (rand.int(0, 8)) {
    case 0:
      return text.slice(0, rand.int(0, Math.max(0, text.length - 1)));
    case 1:
      return `${text}${rand.pick(['}', ']', ',', 'x', '\u0000', '{"a":1}'])}`;
    case 2:
      // (Not a leading BOM: UTF-8 decoding drops it, so it would not corrupt anything.)
      return `${text.slice(0, -1)}\u0000${text.slice(-1)}`;
    case 3:
      return text.replace(/:\s*(-?\d+(\.\d+)?|"[^"]*")/, `: ${rand.pick(['NaN', 'Infinity', '-Infinity', 'undefined', '0x1F', '01', '.5', '+1'])}`);
    case 4:
      return text.replace(/"/g, "'");
    case 5:
      return text.replace(/}$/, ',}').replace(/]$/, ',]');
    case 6:
      return `/* comment */${text}`;
    case 7:
      return text.replace(/[{[]/, (c) => c.repeat(rand.int(2, 5)));
    default:
      return `{"a":${'['.repeat(rand.int(50, 50_000))}`;
  }
}

/** Valid JSON that is not an object, or not JSON at all: no route takes either as its body. */
export function notAnObjectText(rand: Random): string {
  return rand.pick(['', ' ', 'null', 'true', '0', '-1', '"text"', '[]', '[{}]', 'siteKey=x&batch=1', '<xml/>']);
}
