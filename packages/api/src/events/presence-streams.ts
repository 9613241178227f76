import type { OnlineUser } from '../presence/presence';
import type { TypingEvent } from '../presence/typing';
import { EVERYONE_ROOM_ID } from '../schemas/ids';
import type { StreamItem } from './dispatcher';
import { readerStream, type ReaderStreamDeps, ReaderView } from './reader-stream';

export type PresenceUpdate = { type: 'snapshot'; users: OnlineUser[] } | { type: 'join' | 'leave'; user: OnlineUser };

/** chat.onTyping's view: typing in #everyone, in its shape from before rooms (no roomId); never the reader's own. */
class EveryoneTyping extends ReaderView<TypingEvent> {
  wants(item: StreamItem) {
    return item.ephemeral?.type === 'typing' && item.ephemeral.roomId === EVERYONE_ROOM_ID;
  }

  /** Who types now (a start is announced once, so a late subscriber learns it only here); after an overflow, again. */
  async *start() {
    for (const user of this.deps.typing.typingNow(EVERYONE_ROOM_ID)) if (user.id !== this.userId) yield { user, typing: true };
  }

  take(item: StreamItem): TypingEvent | null {
    const event = item.ephemeral;
    if (event?.type !== 'typing' || event.roomId !== EVERYONE_ROOM_ID || event.user.id === this.userId) return null;
    return { user: event.user, typing: event.typing };
  }
}

/** chat.onPresence's view: a snapshot of who this instance sees online, then joins and leaves (the dispatcher's `instance` reach). */
class InstancePresence extends ReaderView<PresenceUpdate> {
  wants(item: StreamItem) {
    return item.ephemeral?.type === 'presence.changed';
  }

  /** The snapshot; after an overflow a fresh one is the whole truth again. */
  async *start() {
    await this.deps.presence.ready;
    yield { type: 'snapshot' as const, users: await this.deps.dispatcher.presenceSnapshot(this) };
  }

  take(item: StreamItem): PresenceUpdate | null {
    const event = item.ephemeral;
    if (event?.type !== 'presence.changed') return null;
    return { type: event.online ? 'join' : 'leave', user: event.user };
  }
}

/** chat.onTyping: who is typing in #everyone now, then starts and stops. */
export async function* everyoneTypingStream(deps: ReaderStreamDeps, opts: { userId: string; signal: AbortSignal }): AsyncGenerator<TypingEvent, void> {
  yield* readerStream(deps, { signal: opts.signal }, new EveryoneTyping(deps, opts.userId));
}

/** chat.onPresence: who is online on this instance's view, then joins and leaves. */
export async function* presenceStream(deps: ReaderStreamDeps, opts: { userId: string; signal: AbortSignal }): AsyncGenerator<PresenceUpdate, void> {
  yield* readerStream(deps, { signal: opts.signal, rooms: 'none' }, new InstancePresence(deps, opts.userId, 'instance'));
}
