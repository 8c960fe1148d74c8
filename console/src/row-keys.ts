/**
 * Keyboard use of a table whose rows open a page: the arrow keys move between rows (each row is
 * focusable), Enter opens the row's page, as a click does.
 */
export function onRowKey(event: KeyboardEvent, open: () => void): void {
  const tr = event.currentTarget as HTMLTableRowElement;
  if (event.key === 'Enter') open();
  else if (event.key === 'ArrowDown') (tr.nextElementSibling as HTMLElement | null)?.focus();
  else if (event.key === 'ArrowUp') (tr.previousElementSibling as HTMLElement | null)?.focus();
  else return;
  event.preventDefault();
}
