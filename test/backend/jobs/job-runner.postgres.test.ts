import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { JobRunner } from '../../../backend/src/jobs/job-runner';
import { createLogger } from '../../../backend/src/log';
import { PostgresStore } from '../../../backend/src/store/postgres/postgres-store';
import type { JobRecord } from '../../../backend/src/store/store';
import { hasPostgres } from '../../support/env';
import { NOW } from '../support/app';
import { testSchema, type TestSchema } from '../support/postgres-schema';
import { dataset, rebuildingModel } from '../support/rescore-data';

/** More leads than one PostgreSQL rescore batch (2,500), so a run can stop between batches. */
const LEADS = 6_000;
const LEASE_MS = 400;
/** The silent holder's lease: long enough to outlast its first batch, so the test can see that nobody takes the job meanwhile. */
const HOLDER_LEASE_MS = 5_000;

interface Instance {
  store: PostgresStore;
  runner: JobRunner;
  /** The runner's log lines ('job started', 'job done', ...). */
  lines: string[];
}

describe.runIf(await hasPostgres())('job runner on PostgreSQL: one instance runs a job at a time', () => {
  let schema: TestSchema;
  const instances: Instance[] = [];
  afterEach(async () => {
    for (const { runner, store } of instances.splice(0)) {
      await runner.stop();
      await store.close();
    }
    await schema.drop();
  });

  async function instance(): Promise<Instance> {
    const store = await PostgresStore.open(schema.url);
    const lines: string[] = [];
    const runner = new JobRunner(store, { leaseMs: LEASE_MS, now: () => NOW + 1, logger: createLogger('info', (line) => lines.push(line)) });
    const made = { store, runner, lines };
    instances.push(made);
    return made;
  }

  /** A workspace with LEADS leads whose aggregates are stale for the new model, and that model's queued job. */
  async function queuedJob(store: PostgresStore): Promise<JobRecord> {
    const ws = await store.createWorkspace('Acme', NOW);
    const site = await store.createSite(ws.id, ['https://acme.test'], NOW);
    const data = dataset(71, { workspaceId: ws.id, siteId: site.id }, LEADS, 2, { firstId: 1, idSpan: 100_000 });
    for (const table of ['leads', 'identities', 'events'] as const) {
      await schema.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1::json)`, [JSON.stringify(data[table])]);
    }
    await schema.query(`select setval(pg_get_serial_sequence('events', 'id'), (select max(id) from events))`);
    return (await store.putModel(ws.id, rebuildingModel(72, false), { name: 'ops' }, NOW)).job;
  }

  const logged = (all: Instance[], msg: string) => all.flatMap((i) => i.lines).filter((line) => JSON.parse(line).msg === msg).length;
  /** The runner logs the end just after the job's row says done: wait for a 'job done' line, then count them. */
  const doneLines = async (all: Instance[]) => {
    for (let waited = 0; logged(all, 'job done') === 0 && waited < 5_000; waited += 50) await sleep(50);
    return logged(all, 'job done');
  };
  const onVersion = async (job: JobRecord) =>
    Number((await schema.query<{ n: string }>('select count(*) as n from leads where workspace_id = $1 and model_version = $2', [job.workspaceId, job.modelVersion]))[0]!.n);

  async function finished(store: PostgresStore, job: JobRecord): Promise<JobRecord> {
    for (;;) {
      const now = (await store.getJob(job.workspaceId, job.id))!;
      if (now.state !== 'queued' && now.state !== 'running') return now;
      await sleep(50);
    }
  }

  it('gives a queued job to exactly one of two instances polling for it, and completes it once', async () => {
    schema = testSchema();
    const [a, b] = [await instance(), await instance()];
    const job = await queuedJob(a.store);
    a.runner.start();
    b.runner.start();
    const done = await finished(a.store, job);
    expect(done).toMatchObject({ state: 'done', attempts: 1, done: LEADS, total: LEADS });
    expect(logged([a, b], 'job started')).toBe(1);
    expect(await doneLines([a, b])).toBe(1);
    expect(await onVersion(job)).toBe(LEADS);
  }, 60_000);

  it('hands a job over when its holder stops mid-way without a word: after the lease expires, another instance finishes it', async () => {
    schema = testSchema();
    const [a, b] = [await instance(), await instance()];
    const job = await queuedJob(a.store);

    // A takes the job, commits its first batch, then goes silent (as if killed): no renewal, no release.
    const held = (await a.store.claimJob('instance-a', HOLDER_LEASE_MS, Date.now()))!;
    expect(held.id).toBe(job.id);
    const stopped = await a.store.runJob(held, 'instance-a', () => false, () => NOW + 1);
    expect(stopped.state).toBe('running');
    const doneByA = await onVersion(job);
    expect(doneByA).toBeGreaterThan(0);
    expect(doneByA).toBeLessThan(LEADS);
    // While A's lease lasts, nobody else may take the job.
    expect(await b.store.claimJob('instance-b', LEASE_MS, Date.now())).toBeUndefined();

    b.runner.start();
    const done = await finished(b.store, job);
    expect(done).toMatchObject({ state: 'done', attempts: 2, done: LEADS, total: LEADS, leasedBy: b.runner.owner });
    expect(await doneLines([b])).toBe(1);
    expect(await onVersion(job)).toBe(LEADS);
    // A coming back cannot renew or end what is no longer its job.
    expect(await a.store.renewJobLease(job.id, 'instance-a', LEASE_MS, Date.now())).toBe(false);
  }, 60_000);
});
