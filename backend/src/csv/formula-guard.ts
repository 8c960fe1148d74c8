/**
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula. Exported text cells get a leading "'" so they are shown as text, and
 * import takes that one quote off again, so an export imports back to the same values.
 * Numbers are written as numbers: a number cannot be a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const GUARDED = /^'[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function unguardFormula(text: string): string {
  return GUARDED.test(text) ? text.slice(1) : text;
}
