import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app';
import { DEFAULT_PORT } from '../../shared/index';
import { DEFAULT_DATABASE_URL, type AppConfig } from './config';
import { JobRunner } from './jobs/job-runner';
import { WebhookDispatcher, type DispatcherOptions } from './webhooks/dispatcher';
import { openStore } from './store/open';
import type { Store } from './store/store';

export interface ServerOptions {
  /** An open store, or a DATABASE_URL to open (and migrate). */
  store?: Store;
  databaseUrl?: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The URL clients reach this server at; defaults to http://localhost:<port>. */
  publicUrl?: string;
  config?: Partial<Omit<AppConfig, 'publicUrl'>>;
  /** How long close() waits for in-flight requests before cutting connections. */
  drainMs?: number;
  /** The lease of the job runner this server starts (see JobRunner); default 15 s. */
  jobLeaseMs?: number;
  /** The webhook dispatcher this server starts (its private-address rule follows config.allowPrivateWebhooks). */
  webhooks?: Omit<DispatcherOptions, 'allowPrivate' | 'logger'>;
}

export interface RunningServer {
  url: string;
  store: Store;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const store = options.store ?? (await openStore(options.databaseUrl ?? DEFAULT_DATABASE_URL));
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
  }) as Server;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const config = { ...options.config, publicUrl: url };
  // Every instance runs jobs: those queued here, and any a crashed instance left behind.
  const jobs = new JobRunner(store, { leaseMs: options.jobLeaseMs, logger: config.logger, now: config.now });
  app = createApp({ store, config: { ...config, jobQueued: () => jobs.poke() } });
  jobs.start();
  // Every instance delivers webhooks too; claims keep each attempt to one instance.
  const webhooks = new WebhookDispatcher(store, { ...options.webhooks, allowPrivate: config.allowPrivateWebhooks ?? false, logger: config.logger });
  webhooks.start();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), options.drainMs ?? 10_000);
        // Keep-alive connections become idle as their last response ends: close them then, not after the keep-alive timeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(force);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      await Promise.all([jobs.stop(), webhooks.stop()]);
      await store.close();
    })());

  return { url, store, close };
}
