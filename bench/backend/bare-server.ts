/**
 * The yardstick for ingest: a bare node:http server that reads the whole body and answers 202
 * with a small JSON body, as /collect does, and nothing else. Prints its URL on stdout.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end(`{"accepted":${body.length > 0 ? 10 : 0},"duplicates":0}`);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
