import { effect, type Signal } from '@preact/signals';
import type { LeadState } from '../content/store';
import { formatScore } from './format';
import { tierColour } from './tier';

export interface BadgeProps {
  state: Signal<LeadState>;
  /** Whether this badge's card is open (aria-expanded); may read signals, the badge follows them. */
  expanded: () => boolean;
  onToggle: (button: HTMLElement) => void;
  onHover: (button: HTMLElement, inside: boolean) => void;
  onEscape: () => void;
}

/**
 * Score, tier colour and grade in a fixed-size button; nothing visible until the person is known
 * to be a lead. Plain DOM kept current by one signal effect, not a Preact root: a first inbox
 * screen draws dozens of badges in one task, and in Chromium the first Preact render on a page
 * alone took ~3 ms of that task (its diff compiled on first use), then ~0.1 ms per badge.
 * Text goes in as text nodes, never HTML. Returns the function that takes the badge away.
 */
export function drawBadge(mount: HTMLElement, props: BadgeProps): () => void {
  let view: { button: HTMLButtonElement; score: Text; grade: Text } | null = null;
  const stop = effect(() => {
    const current = props.state.value;
    const expanded = props.expanded();
    if (current.status !== 'lead') {
      view?.button.remove();
      view = null;
      return;
    }
    view ??= build(mount, props);
    const { lead } = current;
    const who = lead.name ?? lead.email ?? 'lead';
    const score = formatScore(lead.score);
    view.button.style.setProperty('--tier', tierColour(lead.tier));
    view.button.setAttribute('aria-label', `leadscore: ${who}, score ${score}, ${lead.tier}, grade ${lead.grade}. Show details`);
    view.button.setAttribute('aria-expanded', String(expanded));
    view.score.data = score;
    view.grade.data = lead.grade;
  });
  return () => {
    stop();
    view?.button.remove();
    view = null;
  };
}

function build(mount: HTMLElement, { onToggle, onHover, onEscape }: BadgeProps) {
  const doc = mount.ownerDocument;
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'badge';
  button.setAttribute('aria-haspopup', 'dialog');
  button.addEventListener('click', () => onToggle(button));
  button.addEventListener('mouseenter', () => onHover(button, true));
  button.addEventListener('mouseleave', () => onHover(button, false));
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') onEscape();
  });
  const part = (className: string) => {
    const span = doc.createElement('span');
    span.className = className;
    const text = doc.createTextNode('');
    span.append(text);
    button.append(span);
    return text;
  };
  const score = part('score');
  const grade = part('grade');
  mount.append(button);
  return { button, score, grade };
}
