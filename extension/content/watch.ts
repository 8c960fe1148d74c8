/**
 * One MutationObserver per page. However many mutations arrive, the page is rescanned at most
 * once per animation frame, before that frame is painted, so a badge slot added for a new row
 * is part of the row's first paint.
 */
export function watchPage(root: Node, rescan: () => void, isOwnNode: (node: Node) => boolean): () => void {
  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(run);
  };
  const run = () => {
    frame = 0;
    rescan();
    // Every record queued during the rescan is ours (a slot inserted or removed; no page script
    // runs meanwhile): drop them here rather than check a hundred records one node at a time.
    observer.takeRecords();
  };
  const ownRecord = (r: MutationRecord) =>
    r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].every(isOwnNode) && r.addedNodes.length + r.removedNodes.length > 0;
  const observer = new MutationObserver((records) => {
    if (!records.every(ownRecord)) schedule();
  });
  // characterData and a few attributes: single-page apps often reuse elements and only change
  // their text or the attributes the adapters read.
  observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['email', 'title', 'aria-label', 'href'] });
  schedule();
  return () => {
    observer.disconnect();
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  };
}
