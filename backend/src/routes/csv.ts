import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { Hono, type Context } from 'hono';
import { stream } from 'hono/streaming';
import { ImportOptions, MAX_IMPORT_ERRORS_LISTED, storableText, type ImportError, type ImportResponse } from '../../../shared/index';
import type { AppConfig } from '../config';
import { exportCsv } from '../csv/export-csv';
import { importCsv } from '../csv/import-csv';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { parseWith } from '../http/errors';
import { Failure } from '../http/failure';
import type { Store } from '../store/store';

const ImportQuery = storableText(ImportOptions);

/** Every value of a repeated or comma-separated query parameter. */
function listParam(c: Context, name: string): string[] {
  return (c.req.queries(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** The request body as a Node stream, read as the import goes (never buffered whole). */
function bodyStream(c: Context): Readable {
  const body = c.req.raw.body;
  if (!body) throw new Failure(400, 'empty_file', 'send the CSV file as the request body');
  return Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>);
}

/** CSV in (POST /api/import, admin) and out (GET /api/leads/export.csv, admin), streamed both ways. */
export function csvRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post('/import', requireAdmin, async (c) => {
    const options = parseWith(ImportQuery, c.req.query(), 'invalid_query');
    const errors: ImportError[] = [];
    const body = bodyStream(c);
    let bodyFailed = false;
    body.once('error', () => (bodyFailed = true));
    const summary = await importCsv(body, {
      store,
      workspaceId: c.get('token').workspaceId,
      actor: c.get('actor'),
      options,
      now: config.now,
      onError: (error) => void (errors.length < MAX_IMPORT_ERRORS_LISTED && errors.push(error)),
    }).catch((error: unknown) => {
      // The client went away mid-file: the batches before committed (re-sending the file finishes the import).
      if (bodyFailed) throw new Failure(400, 'incomplete_body', 'the request body ended before it was complete; the rows before that point were imported, send the file again to finish');
      throw error;
    });
    config.logger.info('leads imported', { workspaceId: c.get('token').workspaceId, rows: summary.rows, created: summary.created, updated: summary.updated, failed: summary.failed, dryRun: summary.dryRun });
    return c.json({ ...summary, errors } satisfies ImportResponse);
  });

  app.get('/leads/export.csv', requireAdmin, async (c) => {
    const chunks = exportCsv(store, c.get('token').workspaceId, { tiers: listParam(c, 'tier') }, config.now());
    // The first chunk (the header) is produced before answering, so an unknown tier is still a 400.
    const first = await chunks.next();
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="leads.csv"');
    return stream(c, async (out) => {
      if (!first.done) await out.write(first.value.text);
      for await (const chunk of chunks) await out.write(chunk.text);
    });
  });

  return app;
}
