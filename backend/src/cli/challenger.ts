import { formatRate } from '../../../shared/evidence';
import type { ChallengerReport, ChallengerResponse, ModelPutResponse } from '../../../shared/index';
import { toJob } from '../jobs/present-job';
import { challengerReport } from '../reports/challenger-report';
import type { ChallengerRecord, JobRecord, Store } from '../store/store';
import { readModelFile } from './model-set';
import { waitForJob } from './wait-for-job';

export const CHALLENGER_USAGE =
  'challenger set <model.json> | show | stop | promote | report [--workspace <id>]   (champion / challenger: shadow scores, the comparison since the start, promotion)';

type Output = { data: unknown; text: string };
const iso = (ms: number) => new Date(ms).toISOString();

function toResponse(challenger: ChallengerRecord, job: JobRecord | null): ChallengerResponse {
  return { model: challenger.model, startedAt: iso(challenger.startedAt), createdBy: challenger.createdBy, job: job && toJob(job) };
}

/** `leadscore challenger <action>`: the /api/model/challenger routes and the challenger report from the command line. */
export async function challengerCommand(store: Store, workspaceId: string, action: string | undefined, file: string | undefined, options: { bar: boolean }, now: number): Promise<Output> {
  switch (action) {
    case 'set':
      if (!file) throw new Error('challenger set needs a model JSON file');
      return setChallenger(store, workspaceId, file, options);
    case 'show': {
      const found = await store.getChallenger(workspaceId);
      if (!found) return { data: null, text: 'no challenger (challenger set <model.json> sets one)' };
      const { challenger, job } = found;
      const progress = job ? `; shadow job ${job.id} ${job.state}: ${job.done}/${job.total} leads` : '';
      return { data: toResponse(challenger, job), text: `challenger "${challenger.model.name}" since ${iso(challenger.startedAt)} (set by ${challenger.createdBy})${progress}` };
    }
    case 'stop':
      if (!(await store.stopChallenger(workspaceId, now))) throw new Error('the workspace has no challenger');
      return { data: { stopped: true }, text: 'challenger stopped; its shadow scores are cleared' };
    case 'promote':
      return promote(store, workspaceId, options);
    case 'report': {
      const report = await challengerReport(store, workspaceId, now);
      return { data: report, text: renderChallengerReport(report) };
    }
    default:
      throw new Error(`unknown challenger action "${action ?? ''}": set, show, stop, promote or report`);
  }
}

async function setChallenger(store: Store, workspaceId: string, file: string, options: { bar: boolean }): Promise<Output> {
  const { challenger, job } = await store.setChallenger(workspaceId, readModelFile(file), { name: 'cli' }, Date.now());
  const ended = await waitForJob(store, job, { bar: options.bar, label: () => 'shadow scores' });
  if (ended.state === 'failed') throw new Error(`the challenger is set, but its shadow scores failed: ${ended.error ?? 'unknown error'}`);
  return { data: toResponse(challenger, ended), text: `challenger "${challenger.model.name}" set; job ${ended.id} ${ended.state}: ${ended.done}/${ended.total} leads have a shadow score` };
}

async function promote(store: Store, workspaceId: string, options: { bar: boolean }): Promise<Output> {
  const promoted = await store.promoteChallenger(workspaceId, { name: 'cli' }, Date.now());
  if (!promoted) throw new Error('the workspace has no challenger');
  const ended = await waitForJob(store, promoted.job, { bar: options.bar, label: (j) => `rescoring for model v${j.modelVersion}` });
  if (ended.state === 'failed') throw new Error(`the challenger is model v${promoted.model.version}, but rescoring failed: ${ended.error ?? 'unknown error'}`);
  const data: ModelPutResponse = { model: promoted.model, job: toJob(ended) };
  return { data, text: `challenger promoted to model v${promoted.model.version}; job ${ended.id} ${ended.state}: ${ended.done}/${ended.total} leads on v${ended.modelVersion}` };
}

const auc = (value: number | null) => (value === null ? 'unknown (needs won and lost leads)' : value.toFixed(3));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

export function renderChallengerReport(r: ChallengerReport): string {
  const c = r.comparison;
  const lines = [`Champion vs challenger: ${r.leads} outcomes since ${r.startedAt}, each lead scored as of its outcome date`, formatRate('Overall', r.overall)];
  for (const m of [r.champion, r.challenger]) lines.push('', `${m.label}: AUC ${auc(m.auc)}`, ...m.byTier.map((g) => `  ${formatRate(g.value, g)}`));
  lines.push('', `challenger vs champion: AUC ${signed(c.difference)} (95% ${signed(c.low)} to ${signed(c.high)}), ${c.tierChanges} leads change tier`);
  lines.push(...c.moves.slice(0, 10).map((m) => `  ${m.from} -> ${m.to}: ${m.leads}`));
  return lines.join('\n');
}
