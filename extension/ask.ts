import { browser } from 'wxt/browser';
import type { Envelope, PageRequest, Responses } from './protocol';

export class BackgroundError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackgroundError';
  }
}

/** Sends a request to the background and unwraps its `{ ok, data }` envelope. */
export async function ask<T extends PageRequest['type']>(request: Extract<PageRequest, { type: T }>): Promise<Responses[T]> {
  const reply = (await browser.runtime.sendMessage(request)) as Envelope<Responses[T]> | undefined;
  if (!reply) throw new BackgroundError('no_answer', 'The extension background did not answer.');
  if (!reply.ok) throw new BackgroundError(reply.error, reply.message);
  return reply.data;
}
