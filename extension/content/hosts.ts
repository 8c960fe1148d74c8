/**
 * Shadow-root hosts for the badges and the card. The roots are OPEN: tests and assistive tools
 * can see inside, and nothing secret is there (the token never leaves the background, and the
 * page could read the rendered lead data from the screen's DOM either way). What the shadow
 * root buys is isolation of CSS both ways.
 */
export const BADGE_TAG = 'leadscore-badge';
export const CARD_TAG = 'leadscore-card';

// Page events must not see clicks and keys meant for the badge: a click on a badge inside a
// Gmail row would otherwise open the thread, and keys would trigger the mail client's shortcuts.
const CONTAINED_EVENTS = ['click', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'keydown', 'keyup', 'keypress'];
// One function for every host and type: the browser wraps a listener function once, not per call.
const contain = (event: Event) => event.stopPropagation();

/**
 * A badge can sit inside a link (LinkedIn's name heading is one): a click on its button would
 * otherwise follow the link too, as Chromium runs a link's default action for clicks from inside
 * it. The badge's own button has no default action, so nothing else is lost.
 */
export const keepLinkStill = (event: Event) => event.preventDefault();

const prototypes = new WeakMap<Document, Map<string, HTMLElement>>();

/**
 * The host element alone: cheap, so that a slot can be reserved for everyone on the page. Hosts
 * are clones of one styled prototype per tag and style: a clone shares the prototype's parsed
 * inline style (`all: initial` expands to every CSS property) instead of parsing it again, and
 * Chrome can reuse one computed style for all of them.
 */
export function createHostElement(doc: Document, tag: string, hostStyle: string): HTMLElement {
  let byStyle = prototypes.get(doc);
  if (!byStyle) prototypes.set(doc, (byStyle = new Map()));
  const key = `${tag}\n${hostStyle}`;
  let prototype = byStyle.get(key);
  if (!prototype) {
    prototype = doc.createElement(tag);
    prototype.style.cssText = hostStyle;
    byStyle.set(key, prototype);
  }
  return prototype.cloneNode(false) as HTMLElement;
}

const sheets = new Map<string, CSSStyleSheet>();

/**
 * One parsed style sheet shared by every root (adoptedStyleSheets). Where a content script may
 * not adopt sheets into the page's shadow roots (Firefox's Xray wrappers), a <style> element.
 */
function style(root: ShadowRoot, css: string): void {
  try {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {
    const element = root.ownerDocument.createElement('style');
    element.textContent = css;
    root.append(element);
  }
}

/** Gives a host its shadow root, styles and event containment; returns where Preact renders. */
export function attachShadowContent(host: HTMLElement, css: string): HTMLElement {
  const root = host.attachShadow({ mode: 'open' });
  style(root, css);
  const mount = host.ownerDocument.createElement('span');
  root.append(mount);
  for (const type of CONTAINED_EVENTS) host.addEventListener(type, contain);
  return mount;
}

export function isOwnNode(node: Node): boolean {
  return node.nodeType === 1 && ((node as Element).localName === BADGE_TAG || (node as Element).localName === CARD_TAG);
}
