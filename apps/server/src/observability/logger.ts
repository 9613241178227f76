import { createRequire } from 'node:module';
import pino from 'pino';

export type Logger = pino.Logger;

/** Last line of defence: our log lines never carry these, but an error object or a future field might. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'connectionParams',
  '*.connectionParams',
];

/**
 * JSON lines on stdout; with `pretty`, human-readable lines through pino-pretty, a devDependency
 * (a production install lacks it, and then the logs stay JSON).
 */
export function createLogger(level: string, opts: { pretty?: boolean } = {}): Logger {
  const options: pino.LoggerOptions = { level, redact: REDACT };
  if (opts.pretty) {
    try {
      // In-process stream rather than a transport: no worker thread, no module lookup from the bundle's location.
      const pretty = createRequire(import.meta.url)('pino-pretty') as (o: object) => pino.DestinationStream;
      return pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
    } catch {
      // Not installed: fall through to JSON.
    }
  }
  return pino(options);
}
