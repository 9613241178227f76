import pino from 'pino';

export type Logger = pino.Logger;

export const createLogger = (level: string): Logger =>
  pino({
    level,
    // Tokens travel in these; they must never reach a log line.
    redact: ['req.headers.authorization', '*.token', '*.password', 'connectionParams'],
  });
