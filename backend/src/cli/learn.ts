import { writeFile } from 'node:fs/promises';
import type { LearnResponse } from '../../../shared/index';
import { learnModel } from '../learn/learn';
import type { Store } from '../store/store';

export const LEARN_USAGE =
  'learn [--holdout 0.3 | --split-date <day>] [--seed N] [--exclude <attr,...>] [--out model.json] [--workspace <id>]   (a points model fitted on outcomes)';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const aucText = (a: { auc: number; low: number; high: number } | null) => (a ? `${a.auc.toFixed(3)} (95% ${a.low.toFixed(3)}-${a.high.toFixed(3)})` : 'unknown');

/** `leadscore learn`: POST /api/models/learn from the command line; --out writes the model for `model set` or `challenger set`. */
export async function learnCommand(
  store: Store,
  workspaceId: string,
  options: { holdout?: string; splitDate?: string; seed?: string; exclude?: string; out?: string },
  now: number,
): Promise<{ data: LearnResponse; text: string }> {
  const request = {
    ...(options.holdout === undefined ? {} : { holdout: Number(options.holdout) }),
    ...(options.splitDate === undefined ? {} : { splitDate: options.splitDate }),
    ...(options.seed === undefined ? {} : { seed: Number(options.seed) }),
    ...(options.exclude === undefined ? {} : { exclude: options.exclude.split(',').map((s) => s.trim()).filter(Boolean) }),
  };
  const result = await learnModel(store, workspaceId, request, now);
  if (options.out) await writeFile(options.out, `${JSON.stringify(result.model, null, 2)}\n`);
  return { data: result, text: renderLearn(result, options.out) };
}

export function renderLearn({ model, report }: LearnResponse, out: string | undefined): string {
  const h = report.holdout;
  const lines = [
    `Learned from ${report.leads.train} leads, tested on ${report.leads.holdout} held out (${report.leads.won} won, ${report.leads.lost} lost in all); L2 ${report.lambda}, ${report.features.length} features`,
    '',
    'Held-out AUC:',
    `  learned points model  ${aucText(h.points)}`,
    `  unrounded regression  ${aucText(h.regression)}${h.roundingCost === null ? '' : `  (rounding cost ${h.roundingCost.toFixed(4)})`}`,
    `  current model         ${aucText(h.current)}`,
    `  rep rating alone      ${h.rating ? `${aucText(h.rating)} on ${h.rating.leads} rated leads` : 'no rated leads'}`,
    '',
    'Calibration by decile (predicted vs actual):',
    ...h.calibration.map((d) => `  D${d.decile}: ${pct(d.predicted)} vs ${pct(d.actual)} (n=${d.leads})`),
    '',
    `Tiers: ${model.tiers.map((t) => `${t.name} ${t.min}+`).join(', ')}; ${(Math.LN2 * report.pointsPerLogOdds).toFixed(1)} points double the odds`,
  ];
  for (const flag of report.leakage) lines.push(`WARNING: "${flag.feature}" alone ranks the outcomes with AUC ${flag.auc.toFixed(3)}: likely filled in after the sale; leave it out with --exclude ${flag.feature}`);
  lines.push('', out ? `Model written to ${out}: adopt it with \`model set ${out}\` or try it as a challenger with \`challenger set ${out}\`` : 'Pass --out model.json to keep the model.');
  return lines.join('\n');
}
