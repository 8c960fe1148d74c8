import { bootstrap, bootstrapBanner } from './bootstrap';
import { createLogger } from './log';
import { serverSettings } from './options';
import { startServer } from './server';
import { openStore } from './store/open';

/** `npm start`: migrate, serve, bootstrap an empty database, stop cleanly on SIGINT / SIGTERM. */
async function main(): Promise<void> {
  const settings = serverSettings(process.argv.slice(2), process.env);
  const logger = createLogger(settings.logLevel);
  const store = await openStore(settings.databaseUrl);
  const server = await startServer({
    store,
    port: settings.port,
    host: settings.host,
    publicUrl: settings.publicUrl,
    jobLeaseMs: settings.jobLeaseMs,
    config: { logger, trustProxy: settings.trustProxy, rateLimitPerIp: settings.rateLimitPerIp, rateLimitPerSite: settings.rateLimitPerSite, maxPendingIngest: settings.maxPendingIngest },
  });
  logger.info('listening', { url: server.url, host: settings.host, database: store.dialect, docs: `${server.url}/docs`, demo: `${server.url}/demo` });
  const first = await store.onFirstStart(() => bootstrap(store, server.url, Date.now()));
  if (first) process.stdout.write(bootstrapBanner(server.url, first));

  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    await server.close();
    logger.info('stopped');
    logger.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: Error) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'failed to start', error: error.message })}\n`);
  process.exit(1);
});
