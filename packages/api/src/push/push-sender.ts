import type { PushSubscriptionRecord } from '@chat/db';
import { checkEndpoint, deliver, type DeliveryResult, type PushNetwork } from './push-delivery';
import { encryptPayload, vapidAuthorization, type VapidKeys } from './web-push-crypto';

// The background sender (docs/decisions/148-web-push.md): a send never waits for a push service. Jobs
// wait in a bounded queue, a few go out at once, failures a service may recover from are retried
// with backoff, and a subscription the service says is gone (404, 410) is deleted.

export interface PushJob {
  subscription: PushSubscriptionRecord;
  /** The JSON the service worker receives; kept small (docs/decisions/148). */
  payload: object;
}

export interface PushSenderOptions {
  vapid: VapidKeys;
  /** VAPID_SUBJECT: a mailto: or https: URL push services may contact about this server. */
  subject: string;
  network: PushNetwork;
  /** Pushes in flight at once (default 4). */
  concurrency?: number;
  /** Jobs waiting at most; more are dropped (default 1000). */
  maxQueued?: number;
  /** Pushes one user may receive per minute on this instance; more are dropped (default 30). */
  perUserPerMinute?: number;
  /** Waits before each retry; their count is the number of retries (default 1 s, 5 s, 20 s). */
  retryDelaysMs?: readonly number[];
  /** One request's time limit (default 10 s). */
  timeoutMs?: number;
  /** How long the push service keeps an undelivered push (default a day). */
  ttlSeconds?: number;
  /** The subscription is gone for good: delete it. */
  onGone(subscriptionId: string): Promise<void>;
  onError(error: unknown): void;
}

export interface PushSenderStats {
  queued: number;
  inFlight: number;
  sent: number;
  dropped: number;
  gone: number;
  retried: number;
}

interface Queued extends PushJob {
  attempt: number;
}

export function createPushSender(opts: PushSenderOptions) {
  const concurrency = opts.concurrency ?? 4;
  const maxQueued = opts.maxQueued ?? 1000;
  const perUser = opts.perUserPerMinute ?? 30;
  const delays = opts.retryDelaysMs ?? [1000, 5000, 20_000];
  const queue: Queued[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const windows = new Map<string, { start: number; count: number }>();
  const idle = new Set<() => void>();
  const stats: PushSenderStats = { queued: 0, inFlight: 0, sent: 0, dropped: 0, gone: 0, retried: 0 };
  let closed = false;

  const underCap = (userId: string) => {
    const now = Date.now();
    const window = windows.get(userId);
    if (!window || now - window.start >= 60_000) {
      windows.set(userId, { start: now, count: 1 });
      // The map only holds users pushed to in the last minute.
      if (windows.size > 10_000) for (const [id, w] of windows) if (now - w.start >= 60_000) windows.delete(id);
      return true;
    }
    if (window.count >= perUser) return false;
    window.count++;
    return true;
  };

  const settleIfIdle = () => {
    if (queue.length > 0 || stats.inFlight > 0 || timers.size > 0) return;
    for (const resolve of idle) resolve();
    idle.clear();
  };

  const pump = () => {
    while (!closed && stats.inFlight < concurrency && queue.length > 0) {
      const job = queue.shift()!;
      stats.queued = queue.length;
      stats.inFlight++;
      void attempt(job).finally(() => {
        stats.inFlight--;
        pump();
        settleIfIdle();
      });
    }
  };

  const retryLater = (job: Queued, result: DeliveryResult) => {
    const wait = delays[job.attempt];
    if (wait === undefined || closed) {
      stats.dropped++;
      return;
    }
    stats.retried++;
    const serverWait = result.status !== null && result.retryAfterSeconds !== null ? Math.min(result.retryAfterSeconds * 1000, 60_000) : 0;
    const timer = setTimeout(() => {
      timers.delete(timer);
      queue.push({ ...job, attempt: job.attempt + 1 });
      stats.queued = queue.length;
      pump();
      settleIfIdle();
    }, Math.max(wait, serverWait));
    timer.unref();
    timers.add(timer);
  };

  async function attempt(job: Queued) {
    const endpoint = checkEndpoint(job.subscription.endpoint, opts.network);
    if (!endpoint) {
      stats.dropped++;
      return;
    }
    let body: Buffer;
    try {
      body = encryptPayload(job.subscription, Buffer.from(JSON.stringify(job.payload)));
    } catch (error) {
      // A malformed key cannot become well formed: the subscription is useless.
      stats.gone++;
      await opts.onGone(job.subscription.id).catch(opts.onError);
      opts.onError(error);
      return;
    }
    const headers = {
      authorization: vapidAuthorization(endpoint, opts.vapid, opts.subject),
      'content-encoding': 'aes128gcm',
      'content-type': 'application/octet-stream',
      ttl: String(opts.ttlSeconds ?? 24 * 3600),
      urgency: 'high',
    };
    const result = await deliver({ endpoint, headers, body }, opts.network, opts.timeoutMs ?? 10_000);
    if (result.status !== null && result.status >= 200 && result.status < 300) stats.sent++;
    else if (result.status === 404 || result.status === 410) {
      stats.gone++;
      await opts.onGone(job.subscription.id).catch(opts.onError);
    } else if (result.status === null ? result.reason !== 'refused' : result.status === 429 || result.status >= 500) retryLater(job, result);
    else stats.dropped++;
  }

  return {
    /** Queues pushes and returns at once; over a user's cap or a full queue, the extra ones are dropped. */
    send(jobs: readonly PushJob[]): void {
      if (closed) return;
      for (const job of jobs) {
        if (queue.length >= maxQueued || !underCap(job.subscription.userId)) {
          stats.dropped++;
          continue;
        }
        queue.push({ ...job, attempt: 0 });
      }
      stats.queued = queue.length;
      pump();
    },
    stats: (): PushSenderStats => ({ ...stats }),
    /** Resolves once nothing is queued, in flight or waiting to be retried (tests). */
    settled(): Promise<void> {
      return new Promise<void>((resolve) => {
        idle.add(resolve);
        settleIfIdle();
      });
    },
    /** Stops retries and new sends; waits for requests in flight. */
    async close(): Promise<void> {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      stats.dropped += queue.length;
      queue.length = 0;
      await new Promise<void>((resolve) => {
        idle.add(resolve);
        settleIfIdle();
      });
    },
  };
}
export type PushSender = ReturnType<typeof createPushSender>;
