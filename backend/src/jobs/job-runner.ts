import { hostname } from 'node:os';
import { PollLoop } from './poll-loop';
import { newId } from '../domain/ids';
import { silentLogger, type Logger } from '../log';
import type { JobRecord, Store } from '../store/store';

/** How long a claimed job stays an instance's without renewal; after that another instance may take it over. */
export const DEFAULT_JOB_LEASE_MS = 15_000;

export interface JobRunnerOptions {
  /** Lease length (default 15 s): a crashed instance's job resumes elsewhere (or after a restart) this long after its last renewal. */
  leaseMs?: number;
  logger?: Logger;
  /** The time jobs score at (default Date.now). Leases always use the wall clock, which every instance shares. */
  now?: () => number;
  /** Called whenever the running job's progress is saved, e.g. for a progress bar. */
  onProgress?: (job: JobRecord) => void;
}

/**
 * Runs the store's durable jobs in this process: queued ones, and those a crashed or stalled
 * instance left behind once their lease expires. The lease is renewed while a job runs; when a
 * renewal fails (another instance took the job over, or a newer model superseded it) the run
 * stops after its current batch, which leaves the job for its new holder.
 */
export class JobRunner {
  /** Unique per runner, readable in the jobs table. */
  readonly owner = `${hostname()}:${process.pid}:${newId('run', 8)}`;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #loop: PollLoop;

  constructor(
    private readonly store: Store,
    private readonly options: JobRunnerOptions = {},
  ) {
    this.#leaseMs = options.leaseMs ?? DEFAULT_JOB_LEASE_MS;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    // The database may be briefly unreachable; the job keeps its state and is tried again.
    this.#loop = new PollLoop(
      async () => (await this.drain(), 'wait'),
      Math.min(1_000, this.#leaseMs / 2),
      (error) => this.#logger.error('job runner failed', { error: error.message }),
    );
  }

  /** Starts looking for jobs: at once, when poked, and every half lease (at most every second). */
  start(): void {
    this.#loop.start();
  }

  /** A job was queued: look now rather than at the next poll. */
  poke(): void {
    this.#loop.poke();
  }

  /** Stops after the current batch and hands the job back (its lease released) for another instance. */
  stop(): Promise<void> {
    return this.#loop.stop();
  }

  /** Runs every job it can take until none is left; for one-off processes (the CLI, tests). */
  async drain(): Promise<void> {
    for (let job = await this.#claim(); job; job = await this.#claim()) await this.#runOne(job);
  }

  #claim(): Promise<JobRecord | undefined> {
    return this.#loop.stopping ? Promise.resolve(undefined) : this.store.claimJob(this.owner, this.#leaseMs, Date.now());
  }

  async #runOne(job: JobRecord): Promise<void> {
    this.#logger.info('job started', { job: job.id, workspaceId: job.workspaceId, modelVersion: job.modelVersion, attempt: job.attempts });
    let held = true;
    const renew = setInterval(() => {
      this.store.renewJobLease(job.id, this.owner, this.#leaseMs, Date.now()).then(
        (ok) => (held &&= ok),
        (error: Error) => this.#logger.warn('job lease renewal failed', { job: job.id, error: error.message }),
      );
    }, this.#leaseMs / 3);
    try {
      const keepGoing = () => {
        if (held && this.options.onProgress) void this.store.getJob(job.workspaceId, job.id).then((j) => j && this.options.onProgress!(j));
        return held && !this.#loop.stopping;
      };
      const ended = await this.store.runJob(job, this.owner, keepGoing, this.#now);
      if (ended.state === 'running' && this.#loop.stopping && held) await this.store.releaseJobLease(job.id, this.owner);
      this.options.onProgress?.(ended);
      this.#logger.info(ended.state === 'running' ? 'job handed over' : `job ${ended.state}`, { job: job.id, done: ended.done, total: ended.total, error: ended.error ?? undefined });
    } finally {
      clearInterval(renew);
    }
  }
}
