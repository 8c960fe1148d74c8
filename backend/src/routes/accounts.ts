import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_TARGET_LIST_BYTES, TopAccountsQuery, type TargetImportResult, type TopAccounts } from '../../../shared/index';
import { accountDetail } from '../accounts/account-detail';
import { toAccountSummary } from '../accounts/present-account';
import type { AppConfig } from '../config';
import { readTargetAccounts } from '../csv/target-accounts-csv';
import { businessDomain } from '../domain/account-key';
import { requireAdmin, type AuthEnv } from '../http/auth';
import { limitedBodyStream } from '../http/body';
import { parseWith } from '../http/errors';
import { Failure } from '../http/failure';
import type { Store } from '../store/store';

export { MAX_ACCOUNT_MEMBERS } from '../accounts/account-detail';

const DomainQuery = z.object({ domain: z.string().trim().min(1).max(500) }).strict();
const notFound = () => new Failure(404, 'account_not_found', 'no account with this id');

/** Accounts: the best ones, one by domain, one with its people and every point explained; a target-account list (admin). */
export function accountRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  // The whole list is read before anything is written: its rows are marked in one transaction, or none are.
  app.post('/targets', requireAdmin, async (c) => {
    const workspaceId = c.get('token').workspaceId;
    const list = await readTargetAccounts(limitedBodyStream(c, MAX_TARGET_LIST_BYTES));
    const written = list.rows.length ? await store.importTargetAccounts(workspaceId, list.rows, config.now()) : { created: 0, updated: 0 };
    config.logger.info('target accounts imported', { workspaceId, ...written, refused: list.errors.length });
    return c.json({ ...written, errors: list.errors } satisfies TargetImportResult);
  });

  app.get('/top', async (c) => {
    const query = parseWith(TopAccountsQuery, c.req.query(), 'invalid_query');
    const workspaceId = c.get('token').workspaceId;
    const { compiled } = await store.currentModel(workspaceId);
    const tiers = compiled.accounts.tiers.map((t) => t.name);
    if (query.tier !== undefined && !tiers.includes(query.tier)) throw new Failure(400, 'unknown_tier', `the model's account tiers are ${tiers.join(', ')}`);
    const accounts = await store.topAccounts(workspaceId, query);
    return c.json({ accounts: accounts.map(toAccountSummary) } satisfies TopAccounts);
  });

  app.get('/', async (c) => {
    const { domain: input } = parseWith(DomainQuery, c.req.query(), 'invalid_query');
    const domain = businessDomain(input);
    if (!domain) throw new Failure(404, 'account_not_found', `"${input}" is not a company domain (free and disposable mail domains never form an account)`);
    const account = await store.findAccountByDomain(c.get('token').workspaceId, domain);
    if (!account) throw new Failure(404, 'account_not_found', `no account at ${domain} yet`);
    return c.json(toAccountSummary(account));
  });

  app.get('/:id', async (c) => {
    const workspaceId = c.get('token').workspaceId;
    const account = await store.getAccount(workspaceId, c.req.param('id'));
    if (!account) throw notFound();
    return c.json(await accountDetail(store, workspaceId, account, config.now()));
  });

  return app;
}
