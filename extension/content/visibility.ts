/** Tells which slots are on or near the screen. */
export interface Visibility {
  observe(element: Element): void;
  unobserve(element: Element): void;
  isNear(element: Element): boolean;
  disconnect(): void;
}

export type VisibilityFactory = (onNear: (element: Element) => void) => Visibility;

/**
 * One IntersectionObserver for all slots, with a margin of a few hundred pixels, so a badge is
 * ready before its row scrolls into view and nobody pays for badges far off screen.
 */
export const viewportVisibility: VisibilityFactory = (onNear) => {
  const near = new WeakSet<Element>();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) near.delete(entry.target);
        else if (!near.has(entry.target)) {
          near.add(entry.target);
          onNear(entry.target);
        }
      }
    },
    { rootMargin: '400px 0px' },
  );
  return {
    observe: (element) => observer.observe(element),
    unobserve: (element) => {
      observer.unobserve(element);
      near.delete(element);
    },
    isNear: (element) => near.has(element),
    disconnect: () => observer.disconnect(),
  };
};
