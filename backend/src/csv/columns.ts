import { COMPUTED_COLUMN_PREFIX, CUSTOM_KEY, type ImportOptions } from '../../../shared/index';

/** What a column of an import file holds. */
export type ColumnRole = 'externalId' | 'email' | 'name' | 'outcome' | 'outcomeDate' | 'created' | 'attribute' | 'ignored';

export interface ImportColumn {
  index: number;
  header: string;
  role: ColumnRole;
  /** The attribute key for role 'attribute'. */
  attribute: string | null;
  /** How attribute cells are read; custom columns start as 'auto' until numbers are detected. */
  kind: AttributeKind;
}

export type AttributeKind = 'text' | 'number' | 'integer' | 'boolean' | 'enum' | 'auto' | 'none';

/** The typed attributes (shared/schemas/attributes.ts) and how their cells are read; emailDomainType is derived, never imported. */
const TYPED: Record<string, AttributeKind> = {
  industry: 'text',
  jobTitle: 'text',
  seniority: 'enum',
  companySize: 'integer',
  annualRevenue: 'number',
  country: 'text',
  budget: 'boolean',
  decisionMaker: 'boolean',
  productFit: 'enum',
  source: 'text',
  rating: 'integer',
};

/** "Job Title", "job_title", "JOB-TITLE" all name jobTitle. */
const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const TYPED_BY_SQUASHED = new Map(Object.keys(TYPED).map((key) => [squash(key), key]));
/** Common header spellings of typed attributes. */
const ALIASES: Record<string, string> = { title: 'jobTitle', employees: 'companySize', revenue: 'annualRevenue', leadsource: 'source', emaildomaintype: 'emailDomainType' };

/** A custom attribute key for any header: runs of other characters become "_", and it starts with a letter. */
export function customKey(header: string): string {
  const cleaned = header.trim().replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '');
  const key = /^[A-Za-z]/.test(cleaned) ? cleaned : `c_${cleaned}`;
  return key.slice(0, 64);
}

/** The attribute a header names: a typed attribute when it spells one, a custom one otherwise. */
export function attributeKeyOf(header: string): string {
  const squashed = squash(header);
  return TYPED_BY_SQUASHED.get(squashed) ?? ALIASES[squashed] ?? customKey(header);
}

export function typedKind(key: string): AttributeKind | undefined {
  return TYPED[key];
}

export class HeaderError extends Error {}

/** How each column will be read, from the header and the options; a HeaderError when they do not fit together. */
export function planColumns(header: string[], options: ImportOptions): ImportColumn[] {
  const roles = new Map<string, ColumnRole>();
  const named: [string | undefined, ColumnRole, string][] = [
    [options.idColumn, 'externalId', 'idColumn'],
    [options.emailColumn, 'email', 'emailColumn'],
    [options.nameColumn, 'name', 'nameColumn'],
    [options.outcomeColumn, 'outcome', 'outcomeColumn'],
    [options.outcomeDateColumn, 'outcomeDate', 'outcomeDateColumn'],
    [options.createdColumn, 'created', 'createdColumn'],
  ];
  const trimmed = header.map((h) => h.trim());
  for (const [column, role, option] of named) {
    if (column === undefined) continue;
    if (!trimmed.includes(column.trim())) throw new HeaderError(`${option} "${column}" is not a column of the file; its columns are: ${trimmed.join(', ')}`);
    if (roles.has(column.trim())) throw new HeaderError(`column "${column}" is named by two options`);
    roles.set(column.trim(), role);
  }
  const seen = new Map<string, string>();
  return trimmed.map((text, index) => {
    if (text === '') throw new HeaderError(`column ${index + 1} has no header`);
    const role = roles.get(text);
    if (role) return { index, header: text, role, attribute: null, kind: 'none' };
    if (text.startsWith(COMPUTED_COLUMN_PREFIX)) return { index, header: text, role: 'ignored', attribute: null, kind: 'none' };
    const key = attributeKeyOf(text);
    if (key === 'emailDomainType') return { index, header: text, role: 'ignored', attribute: null, kind: 'none' };
    if (!CUSTOM_KEY.test(key)) throw new HeaderError(`column "${text}" cannot be an attribute`);
    const twin = seen.get(key);
    if (twin !== undefined) throw new HeaderError(`columns "${twin}" and "${text}" both name the attribute ${key}`);
    seen.set(key, text);
    return { index, header: text, role: 'attribute', attribute: key, kind: typedKind(key) ?? 'auto' };
  });
}
