import { once } from 'node:events';
import { exportCsv } from '../csv/export-csv';
import type { Store } from '../store/store';

export const EXPORT_USAGE = 'export [--tier <name> ...]   (every lead as CSV on standard output; see docs/API.md for the columns)';

/** `export`: CSV on standard output, written as it is produced (waits when the reader is slower). */
export async function exportCommand(store: Store, workspaceId: string, tiers: string[], out: NodeJS.WritableStream = process.stdout): Promise<{ rows: number }> {
  let rows = 0;
  for await (const chunk of exportCsv(store, workspaceId, { tiers }, Date.now())) {
    rows += chunk.rows;
    if (!out.write(chunk.text)) await once(out, 'drain');
  }
  return { rows };
}

