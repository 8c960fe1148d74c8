import type { CompiledModel } from '../../../../shared/index';
import type { LeadRecord } from '../../domain/lead-record';
import type { Db } from '../sql/schema';
import { rollUpAccounts } from './roll-up';

/**
 * The accounts a transaction's lead saves touched (the one a lead left and the one it is in),
 * rolled up once before the transaction ends: a batch of a hundred people of one company costs
 * one roll-up, not a hundred.
 */
export class AccountTouches {
  readonly #ids = new Set<string>();
  readonly #saved = new Map<string, LeadRecord>();

  /** Records a save of `before` (null for a new lead) as `after`; a save nothing of which an account reads is no touch. */
  add(before: LeadRecord | null, after: LeadRecord): void {
    if (before && !readByAccount(before, after)) return;
    if (before?.accountId) this.#ids.add(before.accountId);
    if (after.accountId) {
      this.#ids.add(after.accountId);
      this.#saved.set(after.id, after);
    }
  }

  /** Rolls up every touched account. */
  async rollUp(trx: Db, compiled: CompiledModel, workspaceId: string, now: number): Promise<void> {
    if (this.#ids.size === 0) return;
    await rollUpAccounts(trx, compiled, workspaceId, [...this.#ids], now, { fillFrom: [...this.#saved.values()] });
    this.#ids.clear();
    this.#saved.clear();
  }
}

/** What an account's roll-up reads of a person: which account, engagement, name, email and attributes. */
function readByAccount(before: LeadRecord, after: LeadRecord): boolean {
  return before.accountId !== after.accountId || before.engagement !== after.engagement || before.name !== after.name || before.email !== after.email || before.attributes !== after.attributes;
}
