import pino from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Writes out what is buffered; call before the process exits. */
  flush(): void;
}

/**
 * One JSON object per line, {"level","time","msg",...fields}, through pino. By default the lines
 * go to stdout asynchronously (pino's SonicBoom destination), so a request never waits on the
 * terminal or the log collector; `write` (tests) receives each line synchronously instead.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination = write ? { write: (line: string) => write(line.trimEnd()) } : pino.destination({ dest: 1, sync: false });
  const logger = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => (fields ? logger[lvl](fields, msg) : logger[lvl](msg));
  const flush = () => {
    // SonicBoom cannot flush before its file descriptor is ready; then there is nothing to flush.
    if ('flushSync' in destination) try { destination.flushSync(); } catch { /* not ready */ }
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), flush };
}

export const silentLogger: Logger = createLogger('silent');
