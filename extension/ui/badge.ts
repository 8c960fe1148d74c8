import type { Signal } from '@preact/signals';
import type { LeadState } from '../content/store';
import { formatScore } from './format';
import { tierColour } from './tier';

export interface BadgeProps {
  state: Signal<LeadState>;
  expanded: boolean;
  onToggle: (button: HTMLElement) => void;
  onHover: (button: HTMLElement, inside: boolean) => void;
  onEscape: () => void;
}

/** Score, tier colour and grade in a fixed-size button; nothing visible until the person is known to be a lead. */
export function Badge({ state, expanded, onToggle, onHover, onEscape }: BadgeProps) {
  const current = state.value;
  if (current.status !== 'lead') return null;
  const { lead } = current;
  const who = lead.name ?? lead.email ?? 'lead';
  return (
    <button
      type="button"
      class="badge"
      style={{ '--tier': tierColour(lead.tier) }}
      aria-label={`leadscore: ${who}, score ${formatScore(lead.score)}, ${lead.tier}, grade ${lead.grade}. Show details`}
      aria-haspopup="dialog"
      aria-expanded={expanded}
      onClick={(e) => onToggle(e.currentTarget)}
      onMouseEnter={(e) => onHover(e.currentTarget, true)}
      onMouseLeave={(e) => onHover(e.currentTarget, false)}
      onKeyDown={(e) => e.key === 'Escape' && onEscape()}
    >
      <span class="score">{formatScore(lead.score)}</span>
      <span class="grade">{lead.grade}</span>
    </button>
  );
}
