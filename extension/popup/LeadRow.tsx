import type { LeadSummary } from '../../shared';
import { formatScore } from '../ui/format';
import { tierColour } from '../ui/tier';

export function LeadRow({ lead, onSelect }: { lead: LeadSummary; onSelect: (lead: LeadSummary) => void }) {
  const who = lead.name ?? lead.email ?? lead.linkedinUrl ?? lead.id;
  return (
    <li>
      <button type="button" class="lead" onClick={() => onSelect(lead)} aria-label={`Tag ${who}: score ${formatScore(lead.score)}, ${lead.tier}, grade ${lead.grade}, ${lead.stage}`}>
        <span class="pill" style={{ background: tierColour(lead.tier) }}>
          {formatScore(lead.score)}
        </span>
        <span class="who">
          <span class="name">{who}</span>
          <span class="muted">
            {lead.tier} · Grade {lead.grade} · {lead.stage}
          </span>
        </span>
      </button>
    </li>
  );
}
