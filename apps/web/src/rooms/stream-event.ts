import type { ChatEvent, DurableEvent, EphemeralEvent, ResyncEvent } from '@chat/api';

/** What arrives on chat.onEvent: durable events and resync tracked (`{ id, data }`), ephemeral ones bare. */
export type StreamItem = { id: string; data: DurableEvent | ResyncEvent } | EphemeralEvent;

/** The event and, for tracked ones, the id a fresh subscription resumes after. */
export function unwrapStreamItem(item: StreamItem): { event: ChatEvent; eventId: string | null } {
  return 'data' in item && !('type' in item) ? { event: item.data, eventId: item.id } : { event: item as EphemeralEvent, eventId: null };
}

export const isDurable = (event: ChatEvent): event is DurableEvent =>
  event.type === 'message.created' || event.type === 'room.joined' || event.type === 'room.left' || event.type === 'room.updated' || event.type === 'read.updated';
