import { Hono, type Context } from 'hono';
import { BacktestRequest, ReportQuery } from '../../../shared/index';
import type { AppConfig } from '../config';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { parseWith, readJson } from '../http/errors';
import { backtest } from '../reports/backtest';
import { conversionReport } from '../reports/conversion-report';
import { challengerReport } from '../reports/challenger-report';
import type { Store } from '../store/store';

/**
 * Evidence about the model. The conversion report is for rep and admin tokens alike: a rep who
 * sees "Hot" on a badge may see how often Hot leads convert. Reports read aggregates only, never
 * another lead's details.
 */
export function reportRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/conversion', async (c) => {
    const query = parseWith(ReportQuery, reportQuery(c), 'invalid_query');
    return c.json(await conversionReport(store, c.get('token').workspaceId, query, config.now()));
  });

  // Admin only: it takes a whole model and rescores every closed lead, seconds of work on 100k.
  app.post('/backtest', requireAdmin, async (c) => {
    const request = await readJson(c, BacktestRequest, config.apiBodyLimit, 'invalid_backtest');
    return c.json(await backtest(store, c.get('token').workspaceId, request, config.now()));
  });

  // Admin only, like the challenger itself: champion and challenger on the outcomes since it started.
  app.get('/challenger', requireAdmin, async (c) => c.json(await challengerReport(store, c.get('token').workspaceId, config.now())));

  return app;
}

/**
 * The query string as ReportQuery reads it: `attribute` repeated or comma-separated; from and to
 * once each (a repeated one stays a list, which fails validation). Unknown parameters are kept so
 * that a typo (`form=`) is a 400, not a report for the wrong period.
 */
function reportQuery(c: Context): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (name === 'attribute') query.attribute = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    else query[name] = values.length === 1 ? values[0] : values;
  }
  return query;
}
