import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '../../shared/index';

const FINISHED = ['done', 'failed', 'superseded'];

/**
 * GET /api/jobs/:id until the job has finished (done, failed or superseded); throws after `timeoutMs`.
 * A poll whose connection is reset is polled again, as any client of an idempotent GET would:
 * while a rescore writes on SQLite the server's event loop can stall for seconds, and Node then
 * closes the kept-alive socket just as the next poll arrives on it.
 */
export async function waitForJob(url: string, token: string, id: string, timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/jobs/${id}`, { headers: { Authorization: `Bearer ${token}` } }).catch((error: Error) => {
      if (Date.now() > deadline) throw error;
      return undefined;
    });
    if (!response) continue;
    const job = (await response.json()) as Job;
    if (response.status !== 200) throw new Error(`GET /api/jobs/${id}: ${response.status} ${JSON.stringify(job)}`);
    if (FINISHED.includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await sleep(100);
  }
}
