import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { Failure } from './failure';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Invalid UTF-8 is refused, not silently replaced by U+FFFD (which would store something the client never sent). */
function decode(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Failure(400, 'invalid_json', 'the request body is not valid UTF-8');
  }
}

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
  let bytes: Uint8Array;
  try {
    if (declared === undefined && incoming) return decode(await readLimited(incoming, limit));
    bytes = new Uint8Array(await c.req.arrayBuffer());
  } catch (error) {
    if (error instanceof Failure) throw error;
    // The client went away mid-body: an expected event, not a server error worth a stack trace.
    throw new Failure(400, 'incomplete_body', 'the request body ended before it was complete');
  }
  if (bytes.byteLength > limit) throw tooLarge(limit);
  return decode(bytes);
}

function readLimited(incoming: HttpBindings['incoming'], limit: number): Promise<Buffer> {
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
    incoming.once('end', () => resolve(Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}

/**
 * The request body as a Node stream that fails with a 413 past `limit` bytes: by its
 * Content-Length before reading anything, or once that many bytes have arrived.
 */
export function limitedBodyStream(c: Context, limit: number): Readable {
  const declared = c.req.header('content-length');
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const body = c.req.raw.body;
  if (!body) throw new Failure(400, 'empty_file', 'send the file as the request body');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? tooLarge(limit) : null, chunk);
    },
  });
  const source = Readable.fromWeb(body as unknown as NodeWebStream<Uint8Array>);
  // The client going away mid-body is a 400, not a server error.
  source.once('error', () => counter.destroy(new Failure(400, 'incomplete_body', 'the request body ended before it was complete')));
  return source.pipe(counter);
}
