import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import { type BusScope, createInbound, createListeners, encode, type EventBus, eventsChannel, type LiveEvent } from './event-bus';
import { type Topic, topicsOf } from './topics';

/** A topic's sharded channel: Redis Cluster places it by its own hash slot, so topics spread over the masters. */
export const topicChannel = (prefix: string, topic: Topic) => `${prefix}${topic}`;

/** The channels `event` is published on: its topics', or the deployment's one channel for what every instance needs. */
const channelsOf = (prefix: string, event: LiveEvent) => {
  const topics = topicsOf(event);
  return topics === 'all' ? [eventsChannel(prefix)] : topics.map((topic) => topicChannel(prefix, topic));
};

/** Publish-only over the cluster, for a process that serves no sockets (`pnpm user:role`). */
export function createShardedPublisher(opts: { cluster: Cluster; prefix: string }): { publish(event: LiveEvent): Promise<void> } {
  const origin = randomUUID();
  return {
    async publish(event) {
      await Promise.all(channelsOf(opts.prefix, event).map((channel) => opts.cluster.spublish(channel, encode(origin, event))));
    },
  };
}

/**
 * Sharded pub/sub over Redis Cluster (SPUBLISH/SSUBSCRIBE; docs/decisions/158): each event goes
 * to its room's or user's channel, and an instance subscribes only to the topics its feed follows,
 * plus the one channel for what every instance needs. Delivered locally at once, as the Redis bus
 * does; the copy Redis echoes back is ignored by origin. The cluster is the caller's to close.
 */
export function createShardedRedisBus(opts: { cluster: Cluster; prefix: string; onError?: (error: Error) => void }): EventBus & { scope: BusScope } {
  const origin = randomUUID();
  const { cluster, prefix } = opts;
  const listeners = createListeners<[LiveEvent]>();
  const recovered = createListeners<[]>();
  const report = (error: Error) => opts.onError?.(error);
  let subscribersDown = false;
  const { onMessage, received } = createInbound(origin, listeners.emit);
  // A shard's subscriber lost (its master died): what it carried meanwhile is gone until the group is back.
  const onNodeLost = () => (subscribersDown = true);
  const onSubscribersReady = () => {
    if (!subscribersDown) return;
    subscribersDown = false;
    recovered.emit();
  };
  cluster.on('smessage', onMessage);
  cluster.on('-node', onNodeLost);
  cluster.on('subscribersReady', onSubscribersReady);
  void cluster.ssubscribe(eventsChannel(prefix)).catch(report);

  return {
    publish(event) {
      listeners.emit(event);
      const raw = encode(origin, event);
      for (const channel of channelsOf(prefix, event)) cluster.spublish(channel, raw).catch(report);
    },
    subscribe: listeners.add,
    healthy: () => cluster.status === 'ready' && !subscribersDown,
    onRecovered: recovered.add,
    received,
    scope: {
      async follow(topics) {
        // One channel per call: ioredis refuses a sharded subscribe spanning slots.
        await Promise.all(topics.map((topic) => cluster.ssubscribe(topicChannel(prefix, topic))));
      },
      unfollow(topics) {
        for (const topic of topics) cluster.sunsubscribe(topicChannel(prefix, topic)).catch(report);
      },
    },
    async close() {
      cluster.off('smessage', onMessage);
      cluster.off('-node', onNodeLost);
      cluster.off('subscribersReady', onSubscribersReady);
    },
  };
}
