import { describe, expect, it } from 'vitest';
import { attributeValue, formatDate, formatPoints, valueText } from '../../console/src/format';
import { trackerSnippet } from '../../shared/tracker-snippet';

describe('console formatting', () => {
  it('types a tagged value as the backend expects: booleans, numbers, else text', () => {
    expect(attributeValue('true')).toBe(true);
    expect(attributeValue(' false ')).toBe(false);
    expect(attributeValue('250')).toBe(250);
    expect(attributeValue('-1.5')).toBe(-1.5);
    expect(attributeValue('1e3')).toBe('1e3');
    expect(attributeValue(' Fintech ')).toBe('Fintech');
  });

  it('signs points and keeps one decimal', () => {
    expect([formatPoints(29.34), formatPoints(-3), formatPoints(0), formatPoints(10)]).toEqual(['+29.3', '-3', '0', '+10']);
  });

  it('shows a dash for a missing or broken date', () => {
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
    expect(formatDate('2025-06-02T12:00:00.000Z')).toMatch(/2025/);
  });

  it('shows text values as they are and others as JSON', () => {
    expect([valueText('a "b"'), valueText(true), valueText(3)]).toEqual(['a "b"', 'true', '3']);
  });

  it('builds the tracker tag for a site, as the first-start banner prints it', () => {
    expect(trackerSnippet('https://ls.acme.com', 'pk_1')).toBe('<script defer src="https://ls.acme.com/t.js" data-site="pk_1"></script>');
  });
});
