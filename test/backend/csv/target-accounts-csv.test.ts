import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MAX_TARGET_ACCOUNTS } from '../../../shared/index';
import { readTargetAccounts } from '../../../backend/src/csv/target-accounts-csv';

const read = (csv: string | Buffer) => readTargetAccounts(Readable.from([typeof csv === 'string' ? Buffer.from(csv) : csv]));

describe('readTargetAccounts', () => {
  it('reads domains, URLs and addresses as registrable domains, with typed and detected attributes', async () => {
    const list = await read('Domain,Company,Annual Revenue,Country,Seats,Notes,targetAccount\n' + 'https://www.eu.acme.co.uk/about,"Acme, Inc.",12.5e6,UK,40,"two\nlines",no\n' + "ops@globex.com,Globex,,DE,,'=1+1,\n");
    expect(list.errors).toEqual([]);
    expect(list.rows).toEqual([
      { line: 2, domain: 'acme.co.uk', name: 'Acme, Inc.', attributes: { annualRevenue: 12_500_000, country: 'UK', Seats: 40, Notes: 'two\nlines' } },
      // The quoted cell spans two lines: the next record starts on line 4. An export's formula guard comes off.
      { line: 4, domain: 'globex.com', name: 'Globex', attributes: { country: 'DE', Notes: '=1+1' } },
    ]);
  });

  it('refuses a row with the wrong number of fields, a bad number, bytes that are not UTF-8, or no domain', async () => {
    const latin1 = Buffer.concat([Buffer.from('domain,industry,employees\ninitech.com,Caf'), Buffer.from([0xe9]), Buffer.from(',10\n')]);
    expect((await read(latin1)).errors).toEqual([{ line: 2, reason: expect.stringContaining('not UTF-8') }]);
    const list = await read('domain,employees\nhooli.com\numbrella.com,12.5\n,30\n');
    expect(list.rows).toEqual([]);
    expect(list.errors).toEqual([
      { line: 2, reason: 'expected 2 fields (as in the header), found 1' },
      { line: 3, reason: 'employees: "12.5" is not a whole number' },
      { line: 4, reason: expect.stringContaining('no domain') },
    ]);
  });

  it('refuses a file over MAX_TARGET_ACCOUNTS rows or with two headers naming one attribute, as a whole', async () => {
    await expect(read(`domain\n${'initech.com\n'.repeat(MAX_TARGET_ACCOUNTS + 1)}`)).rejects.toMatchObject({ code: 'too_many_rows' });
    await expect(read('domain,Employees,company size\nacme.com,1,2\n')).rejects.toMatchObject({ code: 'invalid_header', message: expect.stringContaining('companySize') });
  });
});
