/** Badge colours per tier name; white text on each meets WCAG AA (>= 4.5:1). Unknown tiers are grey. */
const TIER_COLOURS: Record<string, string> = {
  hot: '#c5221f',
  warm: '#a15c00',
  cold: '#1967d2',
};

export function tierColour(tier: string): string {
  return TIER_COLOURS[tier.toLowerCase()] ?? '#5f6368';
}
