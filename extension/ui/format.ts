const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5 min ago", "3 h ago", "2 d ago", "3 wk ago", "4 mo ago", "2 y ago". */
export function relativeTime(iso: string, now: number): string {
  const age = now - Date.parse(iso);
  if (!Number.isFinite(age)) return '';
  if (age < MINUTE) return 'just now';
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  if (age < 14 * DAY) return `${Math.floor(age / DAY)} d ago`;
  if (age < 60 * DAY) return `${Math.floor(age / (7 * DAY))} wk ago`;
  if (age < 365 * DAY) return `${Math.floor(age / (30 * DAY))} mo ago`;
  return `${Math.floor(age / (365 * DAY))} y ago`;
}

/** Signed points with at most one decimal: "+20", "-10", "+2.5". */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '-' : '±'}${Math.abs(rounded)}`;
}

/** Scores are stored with two decimals; reps see whole numbers. */
export function formatScore(score: number): string {
  return String(Math.round(score));
}
