import type { LeadKey } from '../keys';
import type { LeadsChanged, PeopleAnswer } from '../protocol';
import type { BadgePage } from './page';

interface Sender {
  id?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isLeadsChanged(message: Record<string, unknown>): message is Record<string, unknown> & LeadsChanged {
  return (
    message.type === 'leads.changed' &&
    Array.isArray(message.entries) &&
    message.entries.every((e) => isObject(e) && typeof e.key === 'string' && (e.lead === null || (isObject(e.lead) && typeof e.lead.id === 'string')))
  );
}

/**
 * What the content script answers. Only the extension itself can message a content script, and
 * we still check the sender and the shape: the popup asks who is on the page, the background
 * pushes changed leads. Anything else is ignored.
 */
export function handleContentMessage(page: BadgePage, message: unknown, sender: Sender, extensionId: string, location: Pick<Location, 'href'>, site: string): PeopleAnswer | undefined {
  if (sender.id !== extensionId || !isObject(message)) return undefined;
  if (message.type === 'people') return { site, url: location.href, people: page.currentPeople() };
  if (isLeadsChanged(message)) page.applyChanges(message.entries.map((e) => ({ key: e.key as LeadKey, lead: e.lead })));
  return undefined;
}
