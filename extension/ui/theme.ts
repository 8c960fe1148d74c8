/**
 * Whether the page around the card is light or dark, from its background colour; mail clients
 * have their own themes that need not follow the system's. Undefined when the page does not say,
 * and the card then follows `prefers-color-scheme`.
 */
export function pageTheme(doc: Document): 'light' | 'dark' | undefined {
  for (const element of [doc.body, doc.documentElement]) {
    if (!element) continue;
    const rgba = doc.defaultView?.getComputedStyle(element).backgroundColor.match(/[\d.]+/g)?.map(Number);
    if (!rgba || rgba.length < 3 || rgba[3] === 0) continue;
    const [r, g, b] = rgba as [number, number, number];
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.4 ? 'dark' : 'light';
  }
  return undefined;
}
