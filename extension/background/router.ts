import { z } from 'zod';
import { ContentRequest, PageRequest, type Envelope } from '../protocol';
import { BackendError } from './api';
import { handle, type Services } from './handlers';
import { trustOf, type SenderLike } from './senders';

export interface Identity {
  id: string;
  /** runtime.getURL('/') */
  baseUrl: string;
}

/**
 * The background's one entry point for messages: who is asking (our pages, our content scripts
 * on the sites we run on, or nobody), is the message well formed for that sender (zod), then
 * the handler. Failures come back as `{ ok: false, error, message }`; exceptions never cross.
 */
export function createRouter(services: Services, identity: Identity) {
  return async function route(message: unknown, sender: SenderLike): Promise<Envelope<unknown>> {
    const trust = trustOf(sender, identity.id, identity.baseUrl);
    if (!trust) return { ok: false, error: 'forbidden_sender', message: 'Messages are accepted only from this extension’s own pages and content scripts.' };
    const parsed = (trust === 'page' ? PageRequest : ContentRequest).safeParse(message);
    if (!parsed.success) return { ok: false, error: 'invalid_message', message: z.prettifyError(parsed.error) };
    try {
      return { ok: true, data: await handle(parsed.data, services) };
    } catch (error) {
      if (error instanceof BackendError) return { ok: false, error: error.kind, message: error.message };
      return { ok: false, error: 'internal', message: (error as Error).message };
    }
  };
}
