import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { Failure } from './failure';

const tooLarge = (limit: number) => new Failure(413, 'payload_too_large', `the body is larger than ${limit} bytes`);

/**
 * The request body as text, refused with a 413 past `limit` bytes: by its Content-Length before
 * reading anything, or while reading a body sent without one. Reads the socket directly when
 * served by Node (no web-stream Request is built: ingest is the hot path).
 */
export async function readBody(c: Context, limit: number): Promise<string> {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  let text: string;
  try {
    if (declared === undefined && incoming) return await readLimited(incoming, limit);
    text = await c.req.text();
  } catch (error) {
    if (error instanceof Failure) throw error;
    // The client went away mid-body: an expected event, not a server error worth a stack trace.
    throw new Failure(400, 'incomplete_body', 'the request body ended before it was complete');
  }
  if (Buffer.byteLength(text) > limit) throw tooLarge(limit);
  return text;
}

function readLimited(incoming: HttpBindings['incoming'], limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(tooLarge(limit));
      } else chunks.push(chunk);
    });
    incoming.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
  });
}
