import type { ApiDeps, ChatBus } from '@chat/api';
import type { ChatMetrics } from './metrics';

/**
 * Wraps the chat bus so messages published, subscriptions and per-subscriber deliveries are counted
 * whatever bus is in use (in-process or shared across instances).
 */
export function instrumentBus(bus: ChatBus, metrics: ChatMetrics): ChatBus {
  // Object.create keeps any other method of the bus (and its `this`) working through the wrapper.
  const wrapper: ChatBus = Object.create(bus) as ChatBus;
  wrapper.publish = (message) => {
    metrics.messagesSent.inc();
    bus.publish(message);
  };
  wrapper.subscribe = (listener) => {
    metrics.subscriptions.inc();
    const unsubscribe = bus.subscribe((message) => {
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
  };
  return wrapper;
}

/** Counts what the API layer reports: messages and subscriptions through the bus, rate-limit refusals. */
export function observeApi(deps: ApiDeps, metrics: ChatMetrics): void {
  deps.bus = instrumentBus(deps.bus, metrics);
  deps.limits.onRefused((kind) => metrics.rateLimitRefusals.inc({ kind }));
}
