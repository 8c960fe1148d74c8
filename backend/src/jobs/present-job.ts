import type { Job } from '../../../shared/index';
import type { JobRecord } from '../store/store';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A job as the API shows it (see the shared Job schema); who holds its lease stays inside. */
export function toJob(job: JobRecord): Job {
  return {
    id: job.id,
    kind: job.kind,
    modelVersion: job.modelVersion,
    state: job.state,
    progress: { done: job.done, total: job.total },
    error: job.error,
    createdAt: iso(job.createdAt)!,
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
  };
}
