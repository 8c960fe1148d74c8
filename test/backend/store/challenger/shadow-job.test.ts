import { afterEach, describe, expect, it } from 'vitest';
import { compileModel, DEFAULT_MODEL, scoreAggregate, type LeadAggregate, type ScoringModel } from '../../../../shared/index';
import { SHADOW_BATCH } from '../../../../backend/src/store/challenger/shadow-job';
import { leadFromRow, type LeadRow } from '../../../../backend/src/store/sql/rows';
import { leadInput } from '../../../../backend/src/domain/lead-record';
import { hasPostgres } from '../../../support/env';
import { knownAnswerRows } from '../../../support/known-answer';
import { NOW, openFixture, type AppFixture, type StoreKind } from '../../support/app';

const LEADS = 2 * SHADOW_BATCH + 200;
const LEASE_MS = 15_000;

/** The challenger: engagement alone. */
const engagementOnly: ScoringModel = { ...DEFAULT_MODEL, name: 'Engagement only', fit: { ...DEFAULT_MODEL.fit, rules: [] } };

const kinds: [StoreKind, boolean][] = [
  ['sqlite', true],
  ['postgres', await hasPostgres()],
];

type ShadowRow = LeadRow & { shadow_score: number | null; shadow_tier: string | null; shadow_aggregate: string | null };

describe.each(kinds)('the shadow job on %s', (kind, available) => {
  let f: AppFixture;
  afterEach(async () => f?.close());

  it.runIf(available)('resumes after its runner stops mid-way, and ends with every lead scored under the challenger', async () => {
    f = await openFixture(kind);
    for (const block of knownAnswerRows({ seed: 11, leads: LEADS, now: NOW }, { workspaceId: f.workspace.id, siteId: f.site.id }, compileModel(DEFAULT_MODEL))) {
      await f.insertRows('leads', block.leads);
      await f.insertRows('events', block.events);
    }
    const { job } = await f.store.setChallenger(f.workspace.id, engagementOnly, { name: 'admin' }, NOW);
    expect(job).toMatchObject({ kind: 'shadow', state: 'queued', total: LEADS });

    // The first runner takes the job and stops after one batch, as a crash or shutdown would leave it.
    const first = (await f.store.claimJob('runner-a', LEASE_MS, NOW))!;
    const stopped = await f.store.runJob(first, 'runner-a', () => false, () => NOW);
    expect(stopped).toMatchObject({ state: 'running', done: SHADOW_BATCH });
    const shadowed = (rows: ShadowRow[]) => rows.filter((r) => r.shadow_aggregate !== null).length;
    expect(shadowed((await f.dump()).leads as ShadowRow[])).toBe(SHADOW_BATCH);

    // Its lease expires; another runner takes the job over and scores the rest.
    expect(await f.store.claimJob('runner-b', LEASE_MS, NOW + 1_000)).toBeUndefined();
    const takenOver = (await f.store.claimJob('runner-b', LEASE_MS, NOW + 2 * LEASE_MS))!;
    expect(takenOver).toMatchObject({ id: job.id, attempts: 2 });
    const ended = await f.store.runJob(takenOver, 'runner-b', () => true, () => NOW);
    expect(ended).toMatchObject({ state: 'done', done: LEADS, total: LEADS });

    const rows = (await f.dump()).leads as ShadowRow[];
    expect(shadowed(rows)).toBe(LEADS);
    const challenger = compileModel(engagementOnly);
    const champion = compileModel(DEFAULT_MODEL);
    let differs = 0;
    for (const row of rows) {
      const lead = leadFromRow(row);
      const agg = JSON.parse(row.shadow_aggregate!) as LeadAggregate;
      expect(agg.fingerprint).toBe(challenger.fingerprint);
      const expected = scoreAggregate(challenger, leadInput(lead), agg, NOW);
      expect(Number(row.shadow_score)).toBeCloseTo(expected.score, 9);
      expect(row.shadow_tier).toBe(expected.tier);
      // The champion's columns are untouched.
      expect(lead.modelVersion).toBe(champion.version);
      if (Math.abs(Number(row.shadow_score) - lead.score) > 1e-9) differs++;
    }
    expect(differs).toBeGreaterThan(LEADS / 4);
  });
});
