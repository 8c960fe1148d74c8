import type { MessagePort } from 'node:worker_threads';
import type { EventChunks } from './sqlite-rescore-source';

/** How many of its own chunks a worker reads ahead of the one it absorbs, so that none waits for another. */
const LOOKAHEAD = 8;

interface Posted {
  i: number;
  text: string | null;
}

/**
 * The event chunks of one rescore worker's lead range, in order, with the reading shared: worker
 * `index` of n reads chunks index, index + n, ... (each split by lead range, see
 * SqliteRescoreSource.eventChunksByRange), keeps its own range's text and posts the others to
 * their workers through `peers` (one port per other worker, null for itself). Every worker must
 * go through all chunks, or the others would wait for its share forever.
 */
export async function* exchangedChunks(chunks: EventChunks, index: number, peers: (MessagePort | null)[]): AsyncGenerator<string> {
  const workers = peers.length;
  const ready = new Map<number, string | null>();
  let wake: (() => void) | undefined;
  const receive = ({ i, text }: Posted) => {
    ready.set(i, text);
    wake?.();
  };
  for (const port of peers) port?.on('message', receive);
  try {
    let next = index;
    for (let i = 0; i < chunks.count; i++) {
      for (; next < chunks.count && next <= i + LOOKAHEAD * workers; next += workers) {
        const texts = await chunks.read(next);
        texts.forEach((text, k) => (k === index ? ready.set(next, text) : peers[k]!.postMessage({ i: next, text } satisfies Posted)));
      }
      while (!ready.has(i)) await new Promise<void>((resolve) => (wake = resolve));
      const text = ready.get(i);
      ready.delete(i);
      if (text) yield text;
    }
  } finally {
    // Without a listener the ports no longer keep the worker alive; they close when it exits.
    for (const port of peers) port?.off('message', receive);
  }
}
