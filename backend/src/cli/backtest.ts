import { readFile } from 'node:fs/promises';
import { formatRate } from '../../../shared/evidence';
import type { BacktestModelRef, BacktestReport } from '../../../shared/index';
import { backtest } from '../reports/backtest';
import type { Store } from '../store/store';

export const BACKTEST_USAGE =
  'backtest --model <current|version:N|file.json> [--vs <current|version:N|file.json>] [--from <day>] [--to <day>] [--workspace <id>]   (AUC and conversion by tier as of each outcome)';

/** "current", "version:3", or the path of a model JSON file (read and validated by the backtest). */
export async function modelRef(text: string): Promise<BacktestModelRef> {
  if (text === 'current') return 'current';
  const version = /^version:(\d+)$/.exec(text);
  if (version) return { version: Number(version[1]) };
  let body: string;
  try {
    body = await readFile(text, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the model file ${text}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(body) as BacktestModelRef;
  } catch (error) {
    throw new Error(`${text} is not JSON: ${(error as Error).message}`);
  }
}

/** `leadscore backtest`: POST /api/reports/backtest from the command line, as text or --json. */
export async function backtestCommand(store: Store, workspaceId: string, options: { model: string; vs?: string; from?: string; to?: string }, now: number): Promise<{ data: BacktestReport; text: string }> {
  const request = {
    model: await modelRef(options.model),
    ...(options.vs === undefined ? {} : { vs: await modelRef(options.vs) }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  };
  const report = await backtest(store, workspaceId, request, now);
  return { data: report, text: renderBacktest(report) };
}

const auc = (value: number | null) => (value === null ? 'unknown (needs won and lost leads)' : value.toFixed(3));
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;

export function renderBacktest(r: BacktestReport): string {
  const lines = [
    `Backtest: ${r.leads} leads scored as of their outcome date${r.undated ? ` (${r.undated} with an outcome but no date left out)` : ''}`,
    formatRate('Overall', r.overall),
  ];
  for (const m of r.models) {
    lines.push('', `${m.label}: AUC ${auc(m.auc)}`, ...m.byTier.map((g) => `  ${formatRate(g.value, g)}`));
  }
  if (r.comparison) {
    const c = r.comparison;
    lines.push('', `${r.models[1]!.label} vs ${r.models[0]!.label}: AUC ${signed(c.difference)} (95% ${signed(c.low)} to ${signed(c.high)}), ${c.tierChanges} leads change tier`);
    lines.push(...c.moves.slice(0, 10).map((m) => `  ${m.from} -> ${m.to}: ${m.leads}`));
  }
  lines.push('', `Rep rating (0-10) as a model: ${r.rating.leads} leads rated, AUC ${auc(r.rating.auc)}`);
  return lines.join('\n');
}
