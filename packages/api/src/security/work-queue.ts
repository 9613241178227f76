import { DomainError } from '../errors';

export interface WorkQueueOptions {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs allowed to wait; one more is refused at once. */
  maxWaiting: number;
  /** A waiting job older than this is refused instead of run. */
  maxWaitMs: number;
}

/**
 * A bounded queue in front of expensive work (argon2): a flood of logins waits briefly or is
 * refused with TOO_MANY_REQUESTS, instead of taking every core and stalling the chat.
 */
export function createWorkQueue(opts: WorkQueueOptions) {
  let running = 0;
  const waiting: { start: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }[] = [];
  const busy = () => new DomainError('TOO_MANY_REQUESTS', 'The server is busy signing people in; try again in a few seconds', 2);

  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      running++;
      next.start();
    }
  };

  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      if (running >= opts.concurrency) {
        if (waiting.length >= opts.maxWaiting) throw busy();
        await new Promise<void>((start, reject) => {
          const entry = {
            start,
            reject,
            timer: setTimeout(() => {
              waiting.splice(waiting.indexOf(entry), 1);
              reject(busy());
            }, opts.maxWaitMs),
          };
          waiting.push(entry);
        });
      } else {
        running++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
export type WorkQueue = ReturnType<typeof createWorkQueue>;
