import { ReportQuery, type ConversionReport } from '../../../shared/index';
import { parseOrRefuse } from '../domain/errors';
import type { Store } from '../store/store';
import { ConversionTally } from './conversion-tally';
import { createdPeriod } from './report-period';

/**
 * How the workspace's leads created in the period converted: streams them from the store into a
 * ConversionTally, so memory stays bounded whatever the number of leads. A query that does not
 * validate is a DomainError('invalid', 'invalid_query').
 */
export async function conversionReport(store: Store, workspaceId: string, input: ReportQuery, now: number): Promise<ConversionReport> {
  const query = parseOrRefuse(ReportQuery, input, 'invalid_query');
  const period = createdPeriod(query.from, query.to);
  const { model, compiled } = await store.currentModel(workspaceId);
  const tally = new ConversionTally([...new Set(query.attribute)]);
  for await (const page of store.leadOutcomes(workspaceId, period)) for (const lead of page) tally.add(lead);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    period: { from: iso(period.from), to: iso(period.to) },
    ...tally.result(
      model.tiers.map((t) => t.name),
      compiled.accounts.tiers.map((t) => t.name),
    ),
    generatedAt: new Date(now).toISOString(),
  };
}
