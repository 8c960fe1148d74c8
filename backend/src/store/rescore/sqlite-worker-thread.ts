/**
 * A rescore worker (see sqlite-rescore-workers.ts): rescores one range of a workspace's leads from its
 * own read-only connection, sharing the reading of the events with the other workers, and posts
 * the batches to the main thread, which writes them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileModel } from '../../../../shared/scoring/compile';
import { eventPlan } from './event-plan';
import { rescoreRange } from './lead-range';
import type { RescoreWorkerData } from './sqlite-worker-pool';
import { exchangedChunks } from './sqlite-chunk-exchange';
import { openReader, SqliteRescoreSource } from './sqlite-rescore-source';

async function rescore({ file, model, range, now, events }: RescoreWorkerData): Promise<void> {
  const reader = openReader(file);
  try {
    const source = new SqliteRescoreSource(reader);
    const compiled = compileModel(model);
    const chunks = events.rebuild && exchangedChunks(source.eventChunksByRange(range.workspaceId, eventPlan(compiled), events.untils, events.span), events.index, events.peers);
    for await (const batch of rescoreRange(source, compiled, range, now, chunks || null)) parentPort!.postMessage(batch);
  } finally {
    reader.close();
  }
}

// No top-level await: the worker may be loaded as CommonJS (see startWorker). A failure is rethrown
// outside the promise, so that the main thread gets it as the worker's 'error' event.
rescore(workerData as RescoreWorkerData).catch((error: unknown) =>
  setImmediate(() => {
    throw error;
  }),
);
