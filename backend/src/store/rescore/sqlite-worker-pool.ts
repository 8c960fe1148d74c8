import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { CompiledModel, ScoringModel } from '../../../../shared/index';
import type { LeadRange, RescoreBatch } from './lead-range';
import type { EventSpan, SqliteGuard, SqliteRescoreSource } from './sqlite-rescore-source';

/** A write transaction of this many leads (about 10 µs each) holds ingest back for a few tens of milliseconds. */
const MAX_LEADS_PER_WRITE = 5_000;

/** What a rescore worker is given (see sqlite-rescore-worker.ts). */
export interface RescoreWorkerData {
  file: string;
  model: ScoringModel;
  range: LeadRange;
  now: number;
  /** How it reads the events with the others (see exchangedChunks): only when an aggregate is stale (`rebuild`). */
  events: { rebuild: boolean; index: number; untils: string[]; span: EventSpan | null; peers: (MessagePort | null)[] };
}

/**
 * Rescores the ranges of a workspace's leads on one worker thread each and yields their batches
 * as they come; the first failure stops them all. The workers share the reading of the events
 * (see exchangedChunks) when any aggregate is stale.
 */
export async function* rescoreInWorkers(file: string, compiled: CompiledModel, source: SqliteRescoreSource, ranges: LeadRange[], now: number): AsyncGenerator<RescoreBatch<SqliteGuard>> {
  const { workspaceId } = ranges[0]!;
  const rebuild = await source.anyStale({ workspaceId, after: null, until: null, below: ranges[0]!.below }, compiled.fingerprint);
  // One span for all, read once: the workers must agree on the chunks.
  const span = rebuild ? await source.eventSpan() : null;
  const untils = ranges.slice(0, -1).map((range) => range.until!);
  const peers = channels(ranges.length);
  const batches = new Channel<RescoreBatch<SqliteGuard>>(ranges.length);
  const workers = ranges.map((range, index) => {
    const workerData: RescoreWorkerData = { file, model: compiled.model, range, now, events: { rebuild, index, untils, span, peers: peers[index]! } };
    const worker = startWorker(workerData, peers[index]!.filter((port) => port !== null));
    worker.on('message', (batch: RescoreBatch<SqliteGuard>) => batches.push(batch));
    worker.on('error', (error) => batches.fail(error));
    worker.on('exit', (code) => (code === 0 ? batches.close() : batches.fail(new Error(`rescore worker exited with code ${code}`))));
    return worker;
  });
  try {
    for await (const queued of batches) yield* merged(queued);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/**
 * Batches that queued up while the last one was written, merged into fewer transactions. The
 * workers go through their leads in storage order at about the same pace, so their batches
 * queued together touch the same pages, which a merged transaction writes once.
 */
function* merged(queued: RescoreBatch<SqliteGuard>[]): Generator<RescoreBatch<SqliteGuard>> {
  let batch: RescoreBatch<SqliteGuard> = { scored: [], unscored: [] };
  for (const next of queued) {
    if (batch.scored.length > 0 && batch.scored.length + next.scored.length > MAX_LEADS_PER_WRITE) {
      yield batch;
      batch = { scored: [], unscored: [] };
    }
    batch.scored.push(...next.scored);
    batch.unscored.push(...next.unscored);
  }
  yield batch;
}

/** A port from every worker to every other one: ports[a][b] talks to worker b (null for a itself). */
function channels(n: number): (MessagePort | null)[][] {
  const ports = Array.from({ length: n }, () => Array.from({ length: n }, (): MessagePort | null => null));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const { port1, port2 } = new MessageChannel();
      ports[a]![b] = port1;
      ports[b]![a] = port2;
    }
  }
  return ports;
}

/**
 * Starts the worker module next to this one. From a .ts source (run by tsx) the worker loads it
 * through tsx's require hook, registered there first: workers do not inherit tsx's ESM loader on
 * Node 20, and the require hook needs no loader thread.
 */
function startWorker(workerData: RescoreWorkerData, transferList: MessagePort[]): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./sqlite-worker-thread${extension}`, import.meta.url);
  if (extension !== '.ts') return new Worker(url, { workerData, transferList });
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(url))});`;
  return new Worker(code, { eval: true, workerData, transferList });
}

/** Items pushed by several producers, read as one async stream (all those queued at each step) that ends when every producer closed. */
class Channel<T> implements AsyncIterable<T[]> {
  readonly #items: T[] = [];
  #failure: { error: unknown } | undefined;
  #wake: (() => void) | undefined;

  constructor(private open: number) {}

  push(item: T): void {
    this.#items.push(item);
    this.#notify();
  }
  close(): void {
    this.open--;
    this.#notify();
  }
  fail(error: unknown): void {
    this.#failure ??= { error };
    this.#notify();
  }

  #notify(): void {
    this.#wake?.();
    this.#wake = undefined;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T[]> {
    for (;;) {
      if (this.#failure) throw this.#failure.error;
      if (this.#items.length > 0) yield this.#items.splice(0);
      else if (this.open === 0) return;
      else await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
