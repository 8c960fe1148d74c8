import { setTimeout as sleep } from 'node:timers/promises';
import { JobRunner } from '../jobs/job-runner';
import type { JobRecord, Store } from '../store/store';
import { progressBar } from './progress-bar';

const FINISHED = new Set(['done', 'failed', 'superseded']);
const POLL_MS = 250;

/**
 * Waits for a job to finish. This process runs jobs like a server instance does, so the job
 * finishes with no server running; when a server holds it, this follows its progress instead.
 */
export async function waitForJob(store: Store, job: JobRecord, options: { bar: boolean; label: (job: JobRecord) => string }): Promise<JobRecord> {
  const bar = options.bar ? progressBar() : undefined;
  const show = (j: JobRecord) => j.id === job.id && bar?.(options.label(j), j.done, j.total);
  const runner = new JobRunner(store, { onProgress: show });
  let current: JobRecord = job;
  while (!FINISHED.has(current.state)) {
    await runner.drain();
    current = (await store.getJob(job.workspaceId, job.id)) ?? current;
    show(current);
    if (!FINISHED.has(current.state)) await sleep(POLL_MS);
  }
  return current;
}
