import type { EventRecord } from '@chat/db';
import type { EventBus } from '../bus/event-bus';
import { type StoredEvent, toStoredEvent } from './stored-event';

/** After the commit, each new event goes on the bus: the pipeline's second stage (feeds read gaps if one is lost). */
export function publishEvents(bus: EventBus, events: (EventRecord | null)[]): StoredEvent[] {
  const stored: StoredEvent[] = [];
  for (const record of events) {
    if (!record) continue;
    const event = toStoredEvent(record);
    bus.publish({ type: 'event', event });
    stored.push(event);
  }
  return stored;
}
