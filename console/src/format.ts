/** "2 Jun 2025, 14:03" in the reader's locale; "—" when there is no date. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Points with a sign and at most one decimal: "+12", "-3.5". */
export function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded}`;
}

/**
 * A rep's typed value from a text field: true/false and numbers as themselves, anything else
 * as text (the backend validates it against the attribute's type).
 */
export function attributeValue(text: string): string | number | boolean {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** An attribute value as text: JSON only for what is not already text. */
export const valueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
