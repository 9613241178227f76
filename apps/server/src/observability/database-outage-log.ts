import type { Logger } from './logger';

/**
 * One log line when requests start being refused because the database is unreachable, and one
 * when it answers again, with the outage's length and how many requests were refused: a stack
 * trace per refused request would bury everything else (hundreds of lines in seconds).
 */
/** The driver's own words (ECONNREFUSED, "Connection terminated…"), under the wrappers. */
const rootMessage = (error: unknown): string => {
  let root = error;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  return root instanceof Error ? root.message : String(root);
};

export function createDatabaseOutageLog(opts: { logger: Logger; reachable: () => Promise<boolean>; probeMs?: number }) {
  let began: number | null = null;
  let refused = 0;
  let probe: ReturnType<typeof setInterval> | undefined;
  let probing = false;

  const end = () => {
    clearInterval(probe);
    probe = undefined;
    if (began === null) return;
    opts.logger.warn({ seconds: Math.round((Date.now() - began) / 100) / 10, refused }, 'database outage ended');
    began = null;
  };

  return {
    /** A request was refused with SERVICE_UNAVAILABLE because of `error`. */
    refused(error: unknown) {
      refused++;
      if (began !== null) return;
      began = Date.now();
      refused = 1;
      opts.logger.warn({ cause: rootMessage(error) }, 'database outage began: refusing requests with SERVICE_UNAVAILABLE');
      // Refusals only say it is down; a cheap probe says when it is back, even if no request comes.
      probe = setInterval(() => {
        if (probing) return;
        probing = true;
        void opts
          .reachable()
          .then((ok) => ok && end())
          .finally(() => (probing = false));
      }, opts.probeMs ?? 1_000);
      probe.unref();
    },
    close() {
      clearInterval(probe);
    },
  };
}
