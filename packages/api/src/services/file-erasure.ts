import { type Orm, repositoriesFor } from '@chat/db';

/** Where attachment bytes live, as far as erasing them goes (the server wires @chat/files' storage here). */
export interface FileBytes {
  /** Erases everything stored for the attachment (its object, thumbnail and upload state); removing what is not there is fine. */
  erase(attachmentId: string): Promise<void>;
}

export interface FileErasure {
  /** Erases queued bytes soon, off the caller's path: a delete never waits for (or fails with) its storage. */
  kick(): void;
  /** Drops uploads not sent within `unsentTtlSeconds` and erases everything queued (the periodic sweep; retries failures too). */
  sweep(unsentTtlSeconds: number): Promise<void>;
  /** Resolves once the erasing running now (and any kicked meanwhile) is done (tests, shutdown). */
  settled(): Promise<void>;
}

const BATCH = 100;

/**
 * The bytes of deleted attachments are erased after the deleting transaction commits: the trigger on
 * `attachments` queued them in `file_erasures` within it (docs/decisions/137-files-served-and-read.md).
 * An erase that fails stays queued, and the next kick or sweep tries it again.
 */
export function createFileErasure(opts: { orm: Orm; bytes: FileBytes | null; onError: (error: unknown) => void }): FileErasure {
  let running: Promise<void> | null = null;
  let again = false;

  const eraseQueued = async () => {
    const { bytes } = opts;
    if (!bytes) return;
    const repos = repositoriesFor(opts.orm.em.fork());
    for (;;) {
      const ids = await repos.attachments.pendingErasures(BATCH);
      let erased = 0;
      for (const id of ids) {
        try {
          await bytes.erase(id);
          await repos.attachments.erased(id);
          erased++;
        } catch (error) {
          opts.onError(error);
        }
      }
      // A batch that all failed (storage down) waits for the next sweep rather than spinning.
      if (ids.length < BATCH || erased === 0) return;
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await eraseQueued().catch(opts.onError);
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    kick() {
      void run();
    },
    async sweep(unsentTtlSeconds) {
      const repos = repositoriesFor(opts.orm.em.fork());
      // In batches, so no statement holds many rows at once; a full batch means there may be more.
      let swept = BATCH;
      while (swept === BATCH) swept = await repos.attachments.sweepUnsent(unsentTtlSeconds, BATCH);
      await run();
    },
    async settled() {
      while (running) await running;
    },
  };
}
