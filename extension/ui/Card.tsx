import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { probabilityText, type LeadSummary } from '../../shared';
import { accountLine } from './account';
import { formatPoints, formatScore, relativeTime } from './format';
import { tierColour } from './tier';

export interface CardProps {
  lead: LeadSummary;
  /** Where the badge is on screen; the card opens below it, or above when there is no room. */
  anchor: DOMRect;
  theme: 'light' | 'dark' | undefined;
  /** Opened by keyboard or click: focus moves into the card. Opened by hover: it does not. */
  takeFocus: boolean;
  now: number;
  onClose: () => void;
  onTag: () => void;
  onHover: (inside: boolean) => void;
}

const GAP = 6;
const MARGIN = 8;

function place(anchor: DOMRect, width: number, height: number, view: { width: number; height: number }) {
  const below = anchor.bottom + GAP;
  const top = below + height <= view.height - MARGIN || anchor.top - GAP - height < MARGIN ? below : anchor.top - GAP - height;
  const left = Math.min(Math.max(MARGIN, anchor.left), Math.max(MARGIN, view.width - width - MARGIN));
  return { top: Math.max(MARGIN, top), left };
}

/** The lead's stage, its account, recent milestones and the reasons for the score. All data is rendered as text. */
export function Card({ lead, anchor, theme, takeFocus, now, onClose, onTag, onHover }: CardProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ top: anchor.bottom + GAP, left: anchor.left });

  useLayoutEffect(() => {
    const card = ref.current;
    if (!card) return;
    setPosition(place(anchor, card.offsetWidth, card.offsetHeight, { width: window.innerWidth, height: window.innerHeight }));
  }, [anchor.top, anchor.left, anchor.bottom]);

  useEffect(() => {
    if (takeFocus) ref.current?.focus();
  }, [takeFocus, lead.id]);

  const score = formatScore(lead.score);
  return (
    <div
      ref={ref}
      class="card"
      role="dialog"
      aria-label={`leadscore details for ${lead.name ?? lead.email ?? 'lead'}`}
      tabIndex={-1}
      data-theme={theme}
      style={{ top: `${position.top}px`, left: `${position.left}px`, '--tier': tierColour(lead.tier) }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
      onMouseEnter={() => onHover(true)}
      onMouseLeave={() => onHover(false)}
    >
      <header>
        <div class="who">
          <div class="name">{lead.name ?? lead.email ?? 'Unnamed lead'}</div>
          {lead.name && lead.email ? <div class="email">{lead.email}</div> : null}
        </div>
        <button type="button" class="close" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div class="summary">
        <span class="score" aria-label={`score ${score}`}>
          {score}
        </span>
        <span>
          {lead.tier} · Grade {lead.grade} · {lead.stage}
        </span>
      </div>
      {lead.account ? <p class="account">{accountLine(lead.account)}</p> : null}
      {typeof lead.probability === 'number' ? <p class="probability">{capitalize(probabilityText(lead.probability))}</p> : null}
      {lead.milestones.length > 0 ? (
        <section aria-label="Recent milestones">
          <h2>Recent milestones</h2>
          <ul>
            {lead.milestones.slice(0, 5).map((m) => (
              <li key={`${m.ruleId}-${m.at}`}>
                <span>{m.label}</span>
                <span class="when">{relativeTime(m.at, now)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {lead.reasons.length > 0 ? (
        <section aria-label={`Why ${score}`}>
          <h2>Why {score}</h2>
          <ul>
            {lead.reasons.slice(0, 5).map((r, i) => (
              <li key={i}>
                <span>{r.label}</span>
                <span class={r.points < 0 ? 'down' : 'up'}>{formatPoints(r.points)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <footer>
        <span class="muted">scored {relativeTime(lead.scoredAt, now)}</span>
        <button type="button" class="tag" onClick={onTag}>
          Tag fit…
        </button>
      </footer>
    </div>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
