import { describe, expect, it } from 'vitest';
import { ImportOptions } from '../../../shared/index';
import { attributeKeyOf, planColumns } from '../../../backend/src/csv/columns';
import { guardFormula, unguardFormula } from '../../../backend/src/csv/formula-guard';

describe('import columns', () => {
  it('reads headers with spaces and punctuation as typed attributes when they spell one, custom keys otherwise', () => {
    expect(['Job Title', 'job_title', 'JOB-TITLE', 'Title'].map(attributeKeyOf)).toEqual(['jobTitle', 'jobTitle', 'jobTitle', 'jobTitle']);
    expect(['Company size', 'Annual Revenue ', 'Lead Source', 'Decision maker?'].map(attributeKeyOf)).toEqual(['companySize', 'annualRevenue', 'source', 'decisionMaker']);
    expect(attributeKeyOf('2024 budget')).toBe('c_2024_budget');
    expect(['Seats (2024)', '# of visits', 'Région', 'plan.tier'].map(attributeKeyOf)).toEqual(['Seats_2024', 'of_visits', 'R_gion', 'plan.tier']);
  });

  it('refuses headers that cannot be told apart or that the options name wrongly', () => {
    const options = ImportOptions.parse({ emailColumn: 'Email' });
    expect(() => planColumns(['Email', 'Industry', 'industry'], options)).toThrow('both name the attribute industry');
    expect(() => planColumns(['Email', ''], options)).toThrow('column 2 has no header');
    expect(() => planColumns(['E-mail'], options)).toThrow('"Email" is not a column');
    // Columns leadscore computes (an export's leadscore.*) and the derived emailDomainType are never imported.
    expect(planColumns(['Email', 'leadscore.score', 'Email domain type'], options).map((c) => c.role)).toEqual(['email', 'ignored', 'ignored']);
  });
});

describe('CSV injection guard (OWASP)', () => {
  it('prefixes text a spreadsheet would run, and import takes the prefix off again', () => {
    for (const text of ['=1+1', '+33 1 23', '-2', '@SUM(A1)', '\tx', '\rx']) {
      expect(guardFormula(text)).toBe(`'${text}`);
      expect(unguardFormula(guardFormula(text))).toBe(text);
    }
    expect(guardFormula('Ann = VP')).toBe('Ann = VP');
    expect(unguardFormula("'quoted")).toBe("'quoted");
  });
});
