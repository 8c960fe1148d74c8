import { DEFAULT_PORT } from '../../shared';
import type { LeadscoreDb } from './db';

/** The backend of `npm start`. */
export const DEFAULT_BACKEND_URL = `http://localhost:${DEFAULT_PORT}`;

export interface StoredSettings {
  backendUrl: string;
  token: string | null;
}

const KEY = 'settings';

/**
 * Backend URL and token. Only the background reads them; the options page writes them through
 * a message and gets back only whether a token is set, never the token itself.
 */
export class SettingsStore {
  private cached: StoredSettings | undefined;

  constructor(private readonly db: Promise<LeadscoreDb>) {}

  async get(): Promise<StoredSettings> {
    if (!this.cached) {
      const stored = (await (await this.db).get('kv', KEY)) as StoredSettings | undefined;
      this.cached = stored ?? { backendUrl: DEFAULT_BACKEND_URL, token: null };
    }
    return this.cached;
  }

  /** `token` undefined keeps the saved one, an empty string clears it. Returns whether anything changed. */
  async save(backendUrl: string, token: string | undefined): Promise<boolean> {
    const before = await this.get();
    const next: StoredSettings = { backendUrl: backendUrl.replace(/\/+$/, ''), token: token === undefined ? before.token : token.trim() || null };
    await (await this.db).put('kv', next, KEY);
    this.cached = next;
    return next.backendUrl !== before.backendUrl || next.token !== before.token;
  }
}
