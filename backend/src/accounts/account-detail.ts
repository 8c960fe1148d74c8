import type { AccountDetail } from '../../../shared/index';
import type { AccountRecord } from '../domain/account-record';
import { summarize } from '../leads/present';
import type { Store } from '../store/store';
import { toAccountDetail, toLeadAccount } from './present-account';

/** How many of an account's people its page lists, best score first. */
export const MAX_ACCOUNT_MEMBERS = 50;

/** An account with every point explained and its best people, each scored as of `now` (GET /api/accounts/:id, `accounts show`). */
export async function accountDetail(store: Store, workspaceId: string, account: AccountRecord, now: number): Promise<AccountDetail> {
  const [{ compiled }, members] = await Promise.all([store.currentModel(workspaceId), store.accountMembers(workspaceId, account.id, MAX_ACCOUNT_MEMBERS)]);
  const accounts = new Map([[account.id, toLeadAccount(account)]]);
  return toAccountDetail(account, members.map((lead) => summarize(lead, compiled, now, accounts)));
}
