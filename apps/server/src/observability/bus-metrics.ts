import type { ApiDeps, ChatMessage, EventBus, MessageFeed } from '@chat/api';
import type { ChatMetrics } from './metrics';

/** Counts messages this instance publishes, whatever bus is in use (in-process or Redis). */
function instrumentBus(bus: EventBus, metrics: ChatMetrics): EventBus {
  return {
    ...bus,
    publish(event) {
      if (event.type === 'event' && event.event.type === 'message.created') metrics.messagesSent.inc();
      bus.publish(event);
    },
  };
}

/** Counts subscriptions and per-subscriber deliveries, with the delivery latency. */
function observeFeed(feed: MessageFeed, metrics: ChatMetrics) {
  feed.observe({
    delivered(message: ChatMessage, subscribers: number) {
      metrics.messagesDelivered.inc(subscribers);
      const age = Date.now() - Date.parse(message.createdAt);
      if (Number.isFinite(age)) metrics.deliveryLatency.observe(Math.max(0, age) / 1000);
    },
    subscribers: (count) => metrics.subscriptions.set(count),
  });
}

/** Counts what the API layer reports: messages and subscriptions, rate-limit refusals. */
export function observeApi(deps: ApiDeps, metrics: ChatMetrics): void {
  deps.bus = instrumentBus(deps.bus, metrics);
  observeFeed(deps.feed, metrics);
  deps.limits.onRefused((kind) => metrics.rateLimitRefusals.inc({ kind }));
}
