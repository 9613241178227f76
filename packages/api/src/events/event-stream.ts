import { repositoriesFor } from '@chat/db';
import type { ChatEvent } from '../room-shapes';
import { idAfter, moreThanApart } from '../schemas/ids';
import type { EventWriter, TrackedEvent } from './push-lane-contract';
import type { Sink, StreamItem } from './dispatcher';
import { eventsAfter } from './events-after';
import { readerStream, type ReaderStreamDeps, ReaderView } from './reader-stream';
import { isOwnEvent, messageReadableBy, sharedViewFor, type StoredEvent } from './stored-event';

/** One chat.onEvent item: `id` is the stream's cursor after it (resuming from it loses and repeats nothing). */
export type StreamItemOut = TrackedEvent;

const isThreadKind = (type: ChatEvent['type']) => type === 'thread.message' || type === 'thread.updated' || type === 'thread.read';

/** Whether `event` may still go to this stream when it is taken from the queue (drop-at-dequeue). */
const stillVisible = (sink: Sink, event: StoredEvent) =>
  (isOwnEvent(event.type) || (event.type === 'room.left' && event.userId === sink.userId) || sink.rooms.has(event.roomId)) && messageReadableBy(event, sink.userId);

/** chat.onEvent's view: every item, each durable one rendered for its reader and tracked by its event id. */
class EventView extends ReaderView<StreamItemOut> {
  /** The last event id this stream has passed: its cursor (from the membership's id when not resumed, see `begin`). */
  private position: string;
  private readonly resumed: boolean;

  constructor(
    deps: ReaderStreamDeps,
    userId: string,
    lastEventId: string | null,
    /** Whether the subscriber asked for threads' kinds (docs/decisions/145); without, they are passed over. */
    private readonly threads: boolean,
  ) {
    super(deps, userId);
    this.position = lastEventId ?? '0';
    this.resumed = lastEventId !== null;
  }

  /** Live from now: the stream starts at the membership's event id. */
  override begin(at: string) {
    if (!this.resumed) this.position = at;
  }

  /** The view of `event` for this stream, or null: not theirs, or a thread kind they did not ask for. */
  private viewOf(event: StoredEvent) {
    const view = sharedViewFor(event, this.userId);
    return view && (this.threads || !isThreadKind(view.type)) ? view : null;
  }

  wants() {
    return true;
  }

  async *start(again: boolean) {
    if (again || this.resumed) yield* this.catchUp();
    await this.deps.presence.ready;
    yield* this.present();
  }

  take(item: StreamItem, member = false): StreamItemOut | null {
    if (item.ephemeral) {
      if (item.ephemeral.type === 'typing' && !this.rooms.has(item.ephemeral.roomId)) return null;
      return { id: this.position, data: item.ephemeral };
    }
    const event = item.durable;
    if (!idAfter(event.id, this.position)) return null;
    this.position = event.id;
    if (!(member ? messageReadableBy(event, this.userId) : stillVisible(this, event))) return null;
    const view = this.viewOf(event);
    return view ? { id: this.position, data: view } : null;
  }

  /**
   * The stored events after the cursor that the reader may see, or `resync` when too far behind or
   * when the retention job has deleted events after it (docs/decisions/071, 168).
   */
  private async *catchUp(): AsyncGenerator<StreamItemOut> {
    const from = this.position;
    const { newest, horizon } = await repositoriesFor(this.deps.orm.em.fork()).events.replayBounds();
    // A cursor from the future (a restored database, a made-up id) gets a resync too. One at the
    // horizon has every event after it: events up to the horizon are the ones gone.
    if (moreThanApart(from, newest, this.deps.replayLimit) || idAfter(from, newest) || idAfter(horizon, from)) {
      yield this.resync(newest);
      return;
    }
    for await (const event of eventsAfter(this.deps.orm, from, this.userId)) {
      this.position = event.id;
      const view = this.viewOf(event);
      if (view) yield { id: this.position, data: view };
    }
    // The job may have passed the cursor while the pages were read: what it deleted was never sent.
    const events = repositoriesFor(this.deps.orm.em.fork()).events;
    if (idAfter(await events.horizon(), from)) yield this.resync((await events.replayBounds()).newest);
  }

  /** Events up to `newest` are in any snapshot taken after this; later ones follow live. */
  private resync(newest: string): StreamItemOut {
    this.position = newest;
    return { id: this.position, data: { type: 'resync', eventId: this.position } };
  }

  /**
   * Who is online and who types, as of now: ephemeral items are never replayed, so this is how a
   * stream (re)starts exact. A start is announced once (renewals are silent), so a stream that
   * (re)starts while someone types would never learn it otherwise. The sink is live already, so
   * a change after these reads follows as an item.
   */
  private async *present(): AsyncGenerator<StreamItemOut> {
    yield { id: this.position, data: { type: 'presence.snapshot', users: await this.deps.dispatcher.presenceSnapshot(this) } };
    for (const { user, roomId } of this.deps.typing.typingIn(this.rooms)) {
      if (user.id !== this.userId) yield { id: this.position, data: { type: 'typing', roomId, user, typing: true } };
    }
  }
}

/**
 * chat.onEvent: everything `userId` may see, authorised per event at that event's time. From
 * `lastEventId`: the stored events after it that they may see (or `resync` when too far behind),
 * then live ones, in id order with no gap and no duplicate; ephemeral items carry the cursor of
 * the last durable one. Without `lastEventId`: live from now. See docs/decisions/070 and 071.
 * With `push` (the server's push lane, docs/decisions/120), live items go through it once the
 * replay and the snapshot are out, and the generator returns the writer's stop.
 */
export function userEventStream(
  deps: ReaderStreamDeps,
  opts: { userId: string; lastEventId: string | null; signal: AbortSignal; push?: EventWriter | null; threads?: boolean },
): AsyncGenerator<StreamItemOut, (() => void) | void> {
  const threads = opts.threads ?? false;
  return readerStream(
    deps,
    { signal: opts.signal, push: opts.push ?? null },
    new EventView(deps, opts.userId, opts.lastEventId, threads),
  );
}
