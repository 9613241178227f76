import type { ApiDeps, ChatMessage, EventBus, MessageFeed } from '@chat/api';
import type { ChatMetrics } from './metrics';

/** Counts messages this instance publishes, whatever bus is in use (in-process or Redis). */
function instrumentBus(bus: EventBus, metrics: ChatMetrics): EventBus {
  return {
    ...bus,
    publish(event) {
      if (event.type === 'message') metrics.messagesSent.inc();
      bus.publish(event);
    },
  };
}

/** Counts subscriptions and per-subscriber deliveries, with the delivery latency. */
function instrumentFeed(feed: MessageFeed, metrics: ChatMetrics): MessageFeed {
  return {
    ...feed,
    subscribe(listener: (message: ChatMessage) => void) {
      metrics.subscriptions.inc();
      const unsubscribe = feed.subscribe((message) => {
        metrics.messagesDelivered.inc();
        const age = Date.now() - Date.parse(message.createdAt);
        if (Number.isFinite(age)) metrics.deliveryLatency.observe(Math.max(0, age) / 1000);
        listener(message);
      });
      let active = true;
      return () => {
        if (active) metrics.subscriptions.dec();
        active = false;
        unsubscribe();
      };
    },
  };
}

/** Counts what the API layer reports: messages and subscriptions, rate-limit refusals. */
export function observeApi(deps: ApiDeps, metrics: ChatMetrics): void {
  deps.bus = instrumentBus(deps.bus, metrics);
  deps.feed = instrumentFeed(deps.feed, metrics);
  deps.limits.onRefused((kind) => metrics.rateLimitRefusals.inc({ kind }));
}
