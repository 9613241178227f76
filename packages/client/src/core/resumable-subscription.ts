import { retryableDelayMs } from './error-codes';

export interface ResumableHandlers<T> {
  onStarted(): void;
  onData(item: T): void;
  onError(error: unknown): void;
  onComplete(): void;
}

export interface ResumableSource<T> {
  /** Where to start when the caller gave no id: the server's current position (null: from the start). */
  now(): Promise<string | null>;
  /** Opens the tRPC subscription after `lastEventId`; returns its unsubscribe. */
  open(lastEventId: string | null, handlers: ResumableHandlers<T>): () => void;
  /** The id to resume after once `item` is delivered (null: the item moves no cursor, e.g. typing). */
  idOf(item: T): string | null;
}

/** The pause before opening again after `error`, the `attempt`-th failure in a row (0-based); null: give up. */
export type ResumeDelay = (error: unknown, attempt: number) => number | null;

export interface Resumable {
  ready: Promise<void>;
  readonly lastId: string | null;
  stop(): Promise<void>;
}

/**
 * A tracked subscription that survives what wsLink alone does not: when the socket drops, wsLink
 * resubscribes with the last id it delivered; when the server ends the stream with a retryable
 * refusal (SERVICE_UNAVAILABLE while its database is down), it is opened again after a pause, from
 * the last item delivered. Items reach `handle` in order, one call at a time; only the first
 * refusal of a run is reported. Browser-safe: the bot client and the web app run this one loop
 * (`delay` defaults to the shared policy, `retryableDelayMs`).
 */
export function resumable<T>(
  source: ResumableSource<T>,
  handle: (item: T) => void | Promise<void>,
  after: string | undefined,
  report: (error: unknown) => void,
  delay: ResumeDelay = retryableDelayMs,
): Resumable {
  let stopped = false;
  let lastId: string | null = null;
  let unsubscribe: (() => void) | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  // Handlers run one after another, so a slow one never reorders the stream.
  let handled: Promise<void> = Promise.resolve();

  const ready = new Promise<void>((resolveReady, rejectReady) => {
    /** `from` is where the stream began: undefined until known (the server's position when there is no `after`). */
    const open = (from: string | null | undefined) => {
      if (stopped) return resolveReady();
      const retryOrFail = (error: unknown, at: string | null | undefined) => {
        const pause = delay(error, failures);
        if (failures++ === 0 || pause === null) report(error);
        if (pause === null || stopped) return rejectReady(error);
        retryTimer = setTimeout(() => open(at), pause);
      };
      if (from === undefined) {
        source.now().then(
          (position) => open(position),
          (error: unknown) => retryOrFail(error, undefined),
        );
        return;
      }
      unsubscribe = source.open(lastId ?? from, {
        onStarted: () => resolveReady(),
        onData: (item) => {
          failures = 0;
          lastId = source.idOf(item) ?? lastId;
          handled = handled.then(() => handle(item)).catch(report);
        },
        onError: (error) => retryOrFail(error, from),
        onComplete: () => resolveReady(),
      });
    };
    open(after);
  });
  // The caller may never await `ready`; its failure is reported through `report` anyway.
  ready.catch(() => undefined);

  return {
    ready,
    get lastId() {
      return lastId;
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      unsubscribe?.();
      await handled;
    },
  };
}
