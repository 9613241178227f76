import { DomainError } from '../errors';

export interface WorkQueueOptions {
  /** Jobs running at once. */
  concurrency: number;
  /** Jobs allowed to wait; one more is refused at once (or displaces a greedier client's newest job). */
  maxWaiting: number;
  /** A waiting job older than this is refused instead of run. */
  maxWaitMs: number;
}

interface Waiting {
  start: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded queue in front of expensive work (argon2): a flood of logins waits briefly or is
 * refused with TOO_MANY_REQUESTS, instead of taking every core and stalling the chat.
 *
 * Fair between clients (the key, a client address): waiting jobs run one per client in turn, and
 * when the queue is full a newcomer takes the place of the newest job of the client with the most
 * waiting, so one address flooding the queue delays others by a turn, never locks them out.
 */
export function createWorkQueue(opts: WorkQueueOptions) {
  let running = 0;
  let waitingCount = 0;
  // A Map keeps insertion order: the first lane is the next to run; a served lane goes to the back.
  const lanes = new Map<string, Waiting[]>();
  const busy = () => new DomainError('TOO_MANY_REQUESTS', 'The server is busy signing people in; try again in a few seconds', 2);

  const remove = (key: string, entry: Waiting) => {
    const lane = lanes.get(key);
    const at = lane ? lane.indexOf(entry) : -1;
    if (!lane || at < 0) return false;
    lane.splice(at, 1);
    if (!lane.length) lanes.delete(key);
    waitingCount--;
    clearTimeout(entry.timer);
    return true;
  };

  const takeNext = (): Waiting | undefined => {
    const first = lanes.entries().next();
    if (first.done) return undefined;
    const [key, lane] = first.value;
    const entry = lane[0]!;
    remove(key, entry);
    // Still waiting: to the back of the turn order.
    const rest = lanes.get(key);
    if (rest) {
      lanes.delete(key);
      lanes.set(key, rest);
    }
    return entry;
  };

  /** Room for one more waiting job of `key`: free space, or the newest job of a lane longer than its own (plus one). */
  const makeRoom = (key: string) => {
    if (waitingCount < opts.maxWaiting) return true;
    const own = lanes.get(key)?.length ?? 0;
    let greediest: [string, Waiting[]] | null = null;
    for (const entry of lanes) if (!greediest || entry[1].length > greediest[1].length) greediest = entry;
    if (!greediest || greediest[0] === key || greediest[1].length <= own + 1) return false;
    const newest = greediest[1][greediest[1].length - 1]!;
    remove(greediest[0], newest);
    newest.reject(busy());
    return true;
  };

  const release = () => {
    running--;
    const next = takeNext();
    if (next) {
      running++;
      next.start();
    }
  };

  return {
    /** Runs `job` when a slot is free and it is `key`'s turn. */
    async run<T>(key: string, job: () => Promise<T>): Promise<T> {
      if (running >= opts.concurrency) {
        if (!makeRoom(key)) throw busy();
        await new Promise<void>((start, reject) => {
          const entry: Waiting = {
            start,
            reject,
            timer: setTimeout(() => {
              if (remove(key, entry)) reject(busy());
            }, opts.maxWaitMs),
          };
          const lane = lanes.get(key);
          if (lane) lane.push(entry);
          else lanes.set(key, [entry]);
          waitingCount++;
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
    stats: () => ({ running, waiting: waitingCount }),
  };
}
export type WorkQueue = ReturnType<typeof createWorkQueue>;
