import { z } from 'zod';

/**
 * CSV import and export of leads: the options (CLI flags and POST /api/import query parameters
 * are the same names) and the answer. Values are matched case-insensitively, after trimming.
 */
export const DEFAULT_WON_VALUES = ['1', 'yes', 'true', 'won', 'converted'];
export const DEFAULT_LOST_VALUES = ['0', 'no', 'false', 'lost'];
/** Cells read as blank ("" is always blank). */
export const DEFAULT_MISSING_VALUES = ['', 'N/A', 'NA', '-', 'null'];
/** Columns whose header starts with this are computed by leadscore (export) and never imported. */
export const COMPUTED_COLUMN_PREFIX = 'leadscore.';
/** Most row errors one POST /api/import answer lists (`errorCount` counts them all). */
export const MAX_IMPORT_ERRORS_LISTED = 1_000;

const ColumnName = z.string().min(1).max(200);
/** A comma-separated list or an array of values. */
const ValueList = z.union([z.string().transform((s) => s.split(',')), z.array(z.string())]).transform((values) => values.map((v) => v.trim().toLowerCase()));

export const ImportOptions = z
  .object({
    idColumn: ColumnName.optional(),
    emailColumn: ColumnName.optional(),
    nameColumn: ColumnName.optional(),
    outcomeColumn: ColumnName.optional(),
    outcomeDateColumn: ColumnName.optional(),
    createdColumn: ColumnName.optional(),
    won: ValueList.prefault(DEFAULT_WON_VALUES),
    lost: ValueList.prefault(DEFAULT_LOST_VALUES),
    missing: ValueList.prefault(DEFAULT_MISSING_VALUES),
    dryRun: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]).default(false),
  })
  .strict()
  .refine((o) => o.idColumn || o.emailColumn, 'name the column that identifies each lead: idColumn (an external id) and/or emailColumn')
  .refine((o) => !o.won.some((v) => o.lost.includes(v)), 'a value cannot mean both won and lost');
export type ImportOptions = z.infer<typeof ImportOptions>;

/** One row that was not imported: its line in the file, the column at fault ("" for the whole row), and why. */
export const ImportError = z.object({ line: z.number().int(), column: z.string(), reason: z.string() });
export type ImportError = z.infer<typeof ImportError>;

export const ImportResponse = z.object({
  /** Data rows read (the header not counted). */
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Rows skipped whole because of an error. */
  failed: z.number().int(),
  /** True when nothing was written (the counts say what would have been). */
  dryRun: z.boolean(),
  /** How each column was read: a lead field, a typed or custom attribute (text or number), or ignored. */
  columns: z.array(z.object({ header: z.string(), role: z.string(), attribute: z.string().nullable() })),
  /** Set when the file could not be read to its end (unbalanced quotes, a row too long): nothing after that line was read. */
  stopped: ImportError.nullable(),
  errorCount: z.number().int(),
  /** The first MAX_IMPORT_ERRORS_LISTED errors. */
  errors: z.array(ImportError),
});
export type ImportResponse = z.infer<typeof ImportResponse>;
