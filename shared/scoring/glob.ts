const SPECIAL = /[.+^${}()|[\]\\]/g;

/**
 * Compiles a path glob to an anchored, case-insensitive RegExp.
 * `*` matches any run of characters except `/`, `?` one such character, `**` anything including
 * `/`; `/**` at the end also matches the bare prefix (`/blog/**` matches `/blog`) and `/**\/` in
 * the middle matches zero or more folders; `{a,b}` matches either. A trailing `/` on the value is
 * ignored, so `/pricing` and `/pricing/` are the same page.
 */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.length > 1 && pattern.endsWith('/') && !pattern.endsWith('**/') ? pattern.slice(0, -1) : pattern;
  return new RegExp(`^${globSource(body, '')}/?$`, 'i');
}

function globSource(glob: string, prefix: string): string {
  let source = prefix;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '{' ? glob.indexOf('}', i) : -1;
    if (close > i) {
      const options = glob.slice(i + 1, close).split(',');
      source += `(?:${options.map((o) => globSource(o, '')).join('|')})`;
      i = close;
    } else if (c === '*' && glob[i + 1] === '*') {
      const afterSlash = source.endsWith('/');
      if (afterSlash && i + 2 === glob.length) source = `${source.slice(0, -1)}(?:/.*)?`;
      else if (afterSlash && glob[i + 2] === '/') {
        source += '(?:.*/)?';
        i++;
      } else source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(SPECIAL, '\\$&');
  }
  return source;
}
