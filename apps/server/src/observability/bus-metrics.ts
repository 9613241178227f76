import type { ApiDeps, EventBus } from '@chat/api';
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

/** Counts the dispatcher's streams (every subscription) and its per-stream message deliveries, with the delivery latency. */
function observeDispatcher(dispatcher: ApiDeps['dispatcher'], metrics: ChatMetrics) {
  dispatcher.observe({
    delivered(event, streams) {
      metrics.messagesDelivered.inc(streams);
      const age = Date.now() - Date.parse(event.message?.createdAt ?? event.createdAt);
      if (Number.isFinite(age)) metrics.deliveryLatency.observe(Math.max(0, age) / 1000);
    },
    streams: (count) => metrics.subscriptions.set(count),
  });
}

/** Counts what the API layer reports: messages and subscriptions, rate-limit refusals. */
export function observeApi(deps: ApiDeps, metrics: ChatMetrics): void {
  deps.bus = instrumentBus(deps.bus, metrics);
  observeDispatcher(deps.dispatcher, metrics);
  deps.limits.onRefused((kind) => metrics.rateLimitRefusals.inc({ kind }));
}
