import type { MessageChangeEvent, RoomMessage } from '../api/room-types';
import type { ChatMessage } from '../api/trpc';

/** The open room's timeline, as the event stream sees it: messages of `roomId` go to `receive`, edits, deletes and reactions to `change`. */
export interface RoomSink {
  roomId: string;
  receive(message: ChatMessage): void;
  change(event: MessageChangeEvent): void;
}

type Held = { roomId: string; message: ChatMessage; event?: undefined } | { roomId: string; event: MessageChangeEvent; message?: undefined };

/**
 * Held at most, over all rooms, oldest dropped first. A room's newest page is read at most
 * FRESH_MS (10 s, newest-page-prefetch.ts) before its view takes it, so what must be replayed is
 * what the stream brought in those seconds; a page read when the view mounts needs none of it.
 */
export const HELD_MAX = 1000;

/**
 * Hands the app's one event stream to the open room's timeline, and keeps what comes for a room
 * while no timeline of it is on screen, to hand over when one mounts. The page load reads the open
 * room's newest page ahead (decision 167) while its stream starts from an earlier cursor: what the
 * stream brought between that read and the room's first render was dropped, and a message sent,
 * reacted to and edited in that gap never showed (the stream is not replayed for a room's view).
 * Replaying what a page already has is harmless: messages merge by id, changes carry whole state.
 */
export class RoomRelay {
  private sink: RoomSink | null = null;
  private held: Held[] = [];

  /** The room whose timeline is on screen, if any. */
  get openRoomId(): string | null {
    return this.sink?.roomId ?? null;
  }

  message(message: RoomMessage) {
    if (this.sink?.roomId === message.roomId) this.sink.receive(message);
    else this.hold({ roomId: message.roomId, message });
  }

  change(event: MessageChangeEvent) {
    if (this.sink?.roomId === event.roomId) this.sink.change(event);
    else this.hold({ roomId: event.roomId, event });
  }

  /** A room's timeline is on screen: it gets what was held for its room, in order, then what comes. Returns the detach. */
  attach(sink: RoomSink): () => void {
    this.sink = sink;
    const mine = this.held.filter((h) => h.roomId === sink.roomId);
    if (mine.length) this.held = this.held.filter((h) => h.roomId !== sink.roomId);
    for (const h of mine) {
      if (h.message) sink.receive(h.message);
      else sink.change(h.event);
    }
    return () => {
      if (this.sink === sink) this.sink = null;
    };
  }

  /** For tests: how many items are held. */
  get heldCount() {
    return this.held.length;
  }

  private hold(item: Held) {
    this.held.push(item);
    if (this.held.length > HELD_MAX) this.held.splice(0, this.held.length - HELD_MAX);
  }
}
