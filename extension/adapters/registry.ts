import { GmailAdapter } from './gmail';
import { LinkedInAdapter } from './linkedin';
import { OutlookAdapter } from './outlook';
import type { SiteAdapter } from './types';

/** Every site the extension understands. Add an adapter here and its origin to ../sites.ts. */
export const ADAPTERS: readonly SiteAdapter[] = [GmailAdapter, OutlookAdapter, LinkedInAdapter];

export function adapterFor(location: Pick<Location, 'hostname' | 'pathname'>): SiteAdapter | undefined {
  return ADAPTERS.find((adapter) => adapter.matches(location));
}
