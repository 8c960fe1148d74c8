/**
 * A seeded CSV file of past leads for the import benchmark: an external id and an email per row,
 * typed attributes (job title, industry, company size, country, source), a custom number and a
 * custom text column, and an outcome with its date on about half of the rows.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { prng } from '../../test/support/prng';

export const IMPORT_ROWS = 100_000;
export const IMPORT_FLAGS = {
  idColumn: 'CRM Id',
  emailColumn: 'Email',
  nameColumn: 'Full name',
  outcomeColumn: 'Outcome',
  outcomeDateColumn: 'Closed on',
  createdColumn: 'Created',
};

const HEADER = 'CRM Id,Email,Full name,Job Title,Industry,Company size,Country,Lead Source,Outcome,Closed on,Created,Seats,Notes';
const TITLES = ['VP Sales', 'CTO', 'Engineer', 'Head of Marketing', 'Analyst', 'Founder & CEO'];
const INDUSTRIES = ['Software', 'Retail', 'Finance', 'Healthcare', 'Manufacturing'];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'BR', 'IN'];
const SOURCES = ['webinar', 'paid search', 'referral', 'organic'];
const OUTCOMES = ['won', 'lost', '', ''];

export async function writeImportFile(path: string, rows = IMPORT_ROWS, seed = 14): Promise<void> {
  const rand = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out = createWriteStream(path);
  const day = (offset: number) => new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
  let chunk = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    const outcome = pick(OUTCOMES);
    const created = Math.floor(rand() * 300);
    chunk += `CRM-${i},person${i}@company${i % 5000}.example,Person ${i},${pick(TITLES)},${pick(INDUSTRIES)},${1 + Math.floor(rand() * 5000)},${pick(COUNTRIES)},${pick(SOURCES)},${outcome},${outcome ? day(created + 30) : ''},${day(created)},${Math.floor(rand() * 200)},"note ${i}, free text"\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
