export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** Values with spaces or quotes are quoted, so each line stays machine-splittable. */
const formatValue = (value: string | number | boolean | null) => {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
};

/** One line per event: `2026-01-02T03:04:05.000Z info replied to=alice command=roll`. */
export function formatLine(level: LogLevel, event: string, fields: LogFields = {}, now = new Date()): string {
  const pairs = Object.entries(fields)
    .filter((entry): entry is [string, string | number | boolean | null] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [now.toISOString(), level, event, ...pairs].join(' ');
}

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return {
    info: (event, fields) => write(formatLine('info', event, fields)),
    warn: (event, fields) => write(formatLine('warn', event, fields)),
    error: (event, fields) => write(formatLine('error', event, fields)),
  };
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
