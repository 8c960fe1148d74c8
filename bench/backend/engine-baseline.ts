/**
 * The floor a full rescore is measured against: the scoring engine alone, in this process,
 * scoring the benchmark's events from scratch under the same model, with no database. The
 * events are taken from the same seeded data set the server holds, one block of leads at a time
 * (building them is not timed); what is timed is exactly what a rebuild asks of the engine:
 * absorb every event into an empty aggregate and score it.
 */
import { absorbEvents, compileModel, emptyAggregate, scoreAggregate, DEFAULT_MODEL, type ScorableEvent, type ScoringModel } from '../../shared/index';
import { leadInput } from '../../backend/src/domain/lead-record';
import { leadFromRow } from '../../backend/src/store/sql/rows';
import { blocks } from './data';

export function engineFromScratchMs(model: ScoringModel, now: number): number {
  const compiled = compileModel(model);
  const current = compileModel(DEFAULT_MODEL);
  let ms = 0;
  for (const block of blocks({ workspaceId: 'ws', siteId: 'site' }, current, now)) {
    const byLead = new Map<string, ScorableEvent[]>();
    for (const e of block.events) {
      const list = byLead.get(e.lead_id!) ?? [];
      list.push({ event: e.name, properties: e.properties ? JSON.parse(e.properties) : {}, at: e.at });
      byLead.set(e.lead_id!, list);
    }
    const leads = block.leads.map((row) => ({ input: leadInput(leadFromRow(row)), events: byLead.get(row.id) ?? [] }));
    const start = performance.now();
    for (const lead of leads) scoreAggregate(compiled, lead.input, absorbEvents(compiled, emptyAggregate(compiled), lead.events, now), now);
    ms += performance.now() - start;
  }
  return ms;
}
