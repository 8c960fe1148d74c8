// Styles live inside the shadow roots, so the page's CSS cannot reach them and they cannot
// reach the page. They are set as a <style> element's textContent, never parsed as HTML.

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

/**
 * The slot every badge lives in: a fixed box, so rendering, updating or leaving it empty never
 * moves the page. The slot contains its paint, so the focus ring is drawn inside the badge.
 */
export const SLOT_WIDTH = 38;
export const SLOT_HEIGHT = 18;

export const BADGE_CSS = `
:host { all: initial; }
.badge {
  box-sizing: border-box; display: inline-flex; align-items: center; justify-content: center; gap: 3px;
  width: ${SLOT_WIDTH}px; height: ${SLOT_HEIGHT}px; margin: 0; padding: 0 3px; border: 0; border-radius: 9px;
  font: 600 11px/1 ${FONT}; color: #fff; background: var(--tier, #5f6368); cursor: pointer; white-space: nowrap; overflow: hidden;
}
.badge:hover { filter: brightness(1.1); }
.badge:focus-visible { outline: 2px solid #1a73e8; outline-offset: -2px; box-shadow: inset 0 0 0 3px #fff; }
.grade { padding: 1px 3px; border-radius: 6px; background: rgba(255, 255, 255, 0.28); font-weight: 700; }
@media (prefers-color-scheme: dark) { .badge:focus-visible { outline-color: #8ab4f8; } }
`;

export const CARD_CSS = `
:host { all: initial; }
.card {
  --bg: #fff; --fg: #202124; --muted: #5f6368; --line: #dadce0; --up: #137333; --down: #a50e0e; --focus: #1a73e8;
  position: fixed; box-sizing: border-box; width: 300px; max-height: 70vh; overflow: auto; padding: 12px 14px;
  border: 1px solid var(--line); border-radius: 10px; background: var(--bg); color: var(--fg);
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.18); font: 400 13px/1.4 ${FONT}; text-align: left;
}
.card[data-theme="dark"] {
  --bg: #292a2d; --fg: #e8eaed; --muted: #bdc1c6; --line: #5f6368; --up: #81c995; --down: #f28b82; --focus: #8ab4f8;
}
.card:focus { outline: none; }
.card :focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
header { display: flex; align-items: flex-start; gap: 8px; }
.who { flex: 1; min-width: 0; }
.name { font-weight: 600; font-size: 14px; overflow-wrap: anywhere; }
.email, .muted { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.close { border: 0; background: transparent; color: var(--muted); font: 600 16px/1 ${FONT}; cursor: pointer; padding: 2px 4px; border-radius: 4px; }
.summary { display: flex; align-items: center; gap: 8px; margin: 10px 0 6px; }
.probability { margin: 0 0 6px; font-size: 12px; color: var(--muted); }
.account { margin: 0 0 6px; font-size: 12px; font-weight: 600; overflow-wrap: anywhere; }
.score { min-width: 40px; padding: 4px 6px; border-radius: 8px; color: #fff; background: var(--tier, #5f6368); font-weight: 700; font-size: 18px; text-align: center; }
h2 { margin: 10px 0 4px; font-size: 11px; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase; color: var(--muted); }
ul { margin: 0; padding: 0; list-style: none; }
li { display: flex; justify-content: space-between; gap: 8px; padding: 2px 0; }
li span:first-child { overflow-wrap: anywhere; }
.up { color: var(--up); font-weight: 600; white-space: nowrap; }
.down { color: var(--down); font-weight: 600; white-space: nowrap; }
.when { color: var(--muted); white-space: nowrap; }
footer { display: flex; justify-content: space-between; align-items: center; margin-top: 10px; }
.tag { border: 1px solid var(--line); background: transparent; color: var(--fg); border-radius: 6px; padding: 4px 10px; font: 600 12px/1.4 ${FONT}; cursor: pointer; }
@media (prefers-color-scheme: dark) {
  .card:not([data-theme="light"]) {
    --bg: #292a2d; --fg: #e8eaed; --muted: #bdc1c6; --line: #5f6368; --up: #81c995; --down: #f28b82; --focus: #8ab4f8;
  }
}
`;
