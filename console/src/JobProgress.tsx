import type { Job } from '../../shared/schemas/api';

const STATE_TEXT: Record<Job['state'], string> = {
  queued: 'Queued',
  running: 'Rescoring',
  done: 'Done',
  failed: 'Failed',
  superseded: 'Superseded by a newer change',
};

/** A rescore (or shadow scoring) job as a progress bar with its counts; a polite live region. */
export function JobProgress({ job, what }: { job: Job; what: string }) {
  const { done, total } = job.progress;
  return (
    <div class="job" role="status" aria-live="polite">
      <label>
        {what}: {STATE_TEXT[job.state]} ({done} of {total} leads)
        <progress max={Math.max(total, 1)} value={job.state === 'done' ? Math.max(total, 1) : done} />
      </label>
      {job.error && <p class="error">{job.error}</p>}
    </div>
  );
}
