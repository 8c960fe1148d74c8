import { formatRate } from '../../../shared/evidence';
import type { ConversionReport, ReportGroup } from '../../../shared/index';
import { conversionReport } from '../reports/conversion-report';
import type { Store } from '../store/store';

export const REPORT_USAGE = 'report [--workspace <id>] [--from <day or time>] [--to <day or time>] [--attribute <key> ...]   (conversion by tier, account tier, grade, decile, source)';

/** `leadscore report`: the conversion report of GET /api/reports/conversion, as text or --json. */
export async function reportCommand(store: Store, workspaceId: string, query: { from?: string; to?: string; attribute: string[] }, now: number): Promise<{ data: ConversionReport; text: string }> {
  const report = await conversionReport(store, workspaceId, query, now);
  return { data: report, text: renderReport(report) };
}

const percent = (x: number) => `${(x * 100).toFixed(0)}%`;

function groupLine(label: string, g: ReportGroup): string {
  const lift = g.lift === null ? '' : `, lift ${g.lift.toFixed(2)}`;
  const open = g.open ? `, ${g.open} open` : '';
  return `  ${formatRate(label, g)}${lift}${open}`;
}

/** A rep's reading: "Hot: 42% (33-52%, n=100), lift 1.68, 5 open" per group. */
export function renderReport(r: ConversionReport): string {
  const period = r.period.from || r.period.to ? `created ${r.period.from ?? '(start)'} to ${r.period.to ?? 'now'}` : 'all leads';
  const lines = [
    `Conversion report, ${period}: ${r.leads} leads, ${r.overall.n} closed, ${r.open} open (not in any rate)`,
    formatRate('Overall', r.overall),
    `AUC of the score: ${r.auc === null ? 'unknown (needs won and lost leads)' : r.auc.toFixed(3)}${r.overall.rate === null ? '' : `, base rate ${percent(r.overall.rate)}`}`,
  ];
  const section = (title: string, groups: ReportGroup[], label: (g: ReportGroup) => string = (g) => g.value) => {
    lines.push('', `${title}:`, ...(groups.length ? groups.map((g) => groupLine(label(g), g)) : ['  (no leads)']));
  };
  section('By tier', r.byTier);
  section("By account tier (the lead's account as it stands now)", r.byAccountTier);
  section('By grade', r.byGrade);
  lines.push('', 'By score decile (1 = highest scores):', ...r.byDecile.map((d) => groupLine(`D${d.decile} [${d.minScore}-${d.maxScore}]`, d)));
  section('By source', r.bySource);
  for (const [key, groups] of Object.entries(r.byAttribute)) section(`By ${key}`, groups);
  return lines.join('\n');
}
