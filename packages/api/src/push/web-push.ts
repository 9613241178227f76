import { createPushSender, type PushSender, type PushSenderOptions } from './push-sender';
import { DEFAULT_PUSH_NETWORK, type PushNetwork } from './push-delivery';
import type { VapidKeys } from './web-push-crypto';

/** Web Push as configured (VAPID_* settings); absent when it is off. */
export interface WebPushOptions {
  vapid: VapidKeys;
  subject: string;
  /** Tests: their local push service. */
  network?: PushNetwork;
  sender?: Partial<Pick<PushSenderOptions, 'concurrency' | 'maxQueued' | 'perUserPerMinute' | 'retryDelaysMs' | 'timeoutMs'>>;
}

export interface WebPush {
  publicKey: string;
  network: PushNetwork;
  sender: PushSender;
  /** Runs the choice of recipients of one message, tracked so close() can wait. */
  track(task: Promise<unknown>): void;
  /** Resolves once every tracked choice and every push is done (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function createWebPush(options: WebPushOptions, hooks: { onGone(id: string): Promise<void>; onError(error: unknown): void }): WebPush {
  const network = options.network ?? DEFAULT_PUSH_NETWORK;
  const sender = createPushSender({ vapid: options.vapid, subject: options.subject, network, ...options.sender, onGone: hooks.onGone, onError: hooks.onError });
  const tasks = new Set<Promise<unknown>>();
  const drainTasks = async () => {
    while (tasks.size > 0) await Promise.allSettled([...tasks]);
  };
  return {
    publicKey: options.vapid.publicKey,
    network,
    sender,
    track(task) {
      const tracked = task.finally(() => tasks.delete(tracked));
      tasks.add(tracked);
    },
    async settled() {
      await drainTasks();
      await sender.settled();
    },
    async close() {
      await drainTasks();
      await sender.close();
    },
  };
}
