import { Hono } from 'hono';
import { z } from 'zod';
import { TopAccountsQuery, type TopAccounts } from '../../../shared/index';
import { toAccountDetail, toAccountSummary } from '../accounts/present-account';
import type { AppConfig } from '../config';
import { businessDomain } from '../domain/account-key';
import type { AuthEnv } from '../http/auth';
import { parseWith } from '../http/errors';
import { Failure } from '../http/failure';
import { summarize } from '../leads/present';
import type { Store } from '../store/store';

/** How many of an account's people its page lists, best score first. */
export const MAX_ACCOUNT_MEMBERS = 50;

const DomainQuery = z.object({ domain: z.string().trim().min(1).max(500) }).strict();
const notFound = () => new Failure(404, 'account_not_found', 'no account with this id');

/** Accounts: the best ones, one by domain, one with its people and every point explained. */
export function accountRoutes(store: Store, config: AppConfig): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

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
    const [{ compiled }, members] = await Promise.all([store.currentModel(workspaceId), store.accountMembers(workspaceId, account.id, MAX_ACCOUNT_MEMBERS)]);
    const now = config.now();
    const accounts = new Map([[account.id, account]]);
    return c.json(toAccountDetail(account, members.map((lead) => summarize(lead, compiled, now, accounts))));
  });

  return app;
}
