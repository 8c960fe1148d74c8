import { signal, type Signal } from '@preact/signals';
import type { LeadSummary } from '../../shared';
import type { LeadKey } from '../keys';
import type { LookupAnswer } from '../protocol';
import type { KeyStatus } from './slots';

export type LeadState =
  | { status: 'pending' }
  | { status: 'lead'; lead: LeadSummary }
  | { status: 'none' }
  /** The background could not tell (backend unreachable); asked again after RETRY_MS. */
  | { status: 'unknown'; at: number };

const RETRY_MS = 30_000;

/** What this page knows about each key; badges subscribe to their key's signal. */
export class LeadStore {
  private readonly states = new Map<LeadKey, Signal<LeadState>>();

  state(key: LeadKey): Signal<LeadState> {
    let state = this.states.get(key);
    if (!state) this.states.set(key, (state = signal<LeadState>({ status: 'unknown', at: -Infinity })));
    return state;
  }

  status(key: LeadKey): KeyStatus {
    return this.states.get(key)?.value.status ?? 'unknown';
  }

  needsLookup(key: LeadKey, now: number): boolean {
    const state = this.states.get(key)?.value;
    return !state || (state.status === 'unknown' && now - state.at >= RETRY_MS);
  }

  markPending(keys: Iterable<LeadKey>): void {
    for (const key of keys) this.state(key).value = { status: 'pending' };
  }

  /** Records a lookup's answer; keys it left out stay unknown until the retry time. */
  apply(asked: Iterable<LeadKey>, answer: LookupAnswer, now: number): void {
    for (const key of asked) {
      const lead = answer[key];
      this.state(key).value = lead === undefined ? { status: 'unknown', at: now } : lead ? { status: 'lead', lead } : { status: 'none' };
    }
  }

  /** Pushed changes only touch keys this page has seen. */
  update(entries: { key: LeadKey; lead: LeadSummary | null }[]): void {
    for (const { key, lead } of entries) {
      const state = this.states.get(key);
      if (state) state.value = lead ? { status: 'lead', lead } : { status: 'none' };
    }
  }
}
