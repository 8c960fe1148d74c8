import type { Job } from '../../shared/schemas/api';
import { api } from './api';

const FINISHED: ReadonlySet<Job['state']> = new Set(['done', 'failed', 'superseded']);
export const isFinished = (job: Job) => FINISHED.has(job.state);

/**
 * Polls GET /api/jobs/:id until the job is done, failed or superseded, telling `onUpdate` each
 * state; resolves with the last one. `stopped()` lets a page that went away end the polling.
 */
export async function followJob(job: Job, onUpdate: (job: Job) => void, stopped: () => boolean = () => false, intervalMs = 400): Promise<Job> {
  let current = job;
  onUpdate(current);
  while (!isFinished(current) && !stopped()) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    current = await api<Job>('GET', `/api/jobs/${encodeURIComponent(current.id)}`);
    onUpdate(current);
  }
  return current;
}
