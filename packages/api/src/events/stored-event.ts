import type { EventRecord } from '@chat/db';
import type { DurableEvent, MessageEvent, Room, RoomMessage, UserRef } from '../room-shapes';
import type { UserProfile } from '../shapes';
import type { ThreadSummary } from '../shapes';
import { toChatMessage, toUserRef } from '../shapes';
import { groupName } from '../schemas/room-name';

/** Room as stored in an event's payload (repository `roomJson`): DMs carry both members. */
export interface StoredRoom {
  id: string;
  kind: Room['kind'];
  name: string;
  topic: string | null;
  createdBy: string | null;
  createdAt: string;
  memberCount: number;
  dmMembers: UserRef[] | null;
  /** Group DMs (docs/decisions/153); absent in events stored before group DMs. */
  groupMembers?: UserRef[] | null;
}

/**
 * A committed event as it travels between instances and to each instance's dispatcher: the same
 * for every viewer. `viewFor` turns it into what one user is sent.
 */
export interface StoredEvent {
  id: string;
  /** The stored kinds: the view's, and thread.replied (sent as thread.message). */
  type: DurableEvent['type'] | 'thread.replied';
  roomId: string;
  /** The subject: author, joiner or leaver, reader. */
  userId: string | null;
  /** message.created, message.edited and message.preview: the message as it is now (without reactions). */
  message: RoomMessage | null;
  messageId: string | null;
  payload: Record<string, unknown> | null;
  createdAt: string;
  /** For an event about a reply that lives only in its thread: the root (the event goes out as thread.message). */
  threadRootId?: string;
  /** Viewers its message must not reach: it was read from the database after a change they may not see (docs/decisions/123). */
  hiddenFrom?: readonly string[];
}

export const toStoredEvent = (r: EventRecord): StoredEvent => ({
  id: r.id,
  type: r.type as StoredEvent['type'],
  roomId: r.roomId,
  userId: r.userId,
  messageId: r.messageId,
  message: r.message ? { ...toChatMessage(r.message), roomId: r.message.roomId } : null,
  payload: r.payload,
  createdAt: r.createdAt.toISOString(),
  ...(r.threadRootId ? { threadRootId: r.threadRootId } : {}),
  ...(r.hiddenFrom ? { hiddenFrom: r.hiddenFrom } : {}),
});

/** Whether the event's message, as it was read, may go to `viewerId` (the repository's rule, decision 123). */
export const messageReadableBy = (event: StoredEvent, viewerId: string) => event.hiddenFrom === undefined || !event.hiddenFrom.includes(viewerId);

/** A room as `viewerId` sees it: a DM is named after the other member, a group DM after the others. */
export function roomFor(room: StoredRoom, viewerId: string): Room {
  const peer = room.kind === 'dm' ? (room.dmMembers?.find((m) => m.id !== viewerId) ?? room.dmMembers?.[0] ?? null) : null;
  const group = room.groupMembers ?? null;
  return {
    id: room.id,
    kind: room.kind,
    name: peer ? peer.username : group ? groupName(group, viewerId) : room.name,
    topic: room.topic,
    peer: peer ? toUserRef(peer) : null,
    createdBy: room.createdBy,
    memberCount: room.memberCount,
    createdAt: room.createdAt,
    ...(group ? { group: { members: group.map(toUserRef) } } : {}),
  };
}

/** Events only their subject receives (a read position, a mention count), on any of their streams. */
export const isOwnEvent = (type: StoredEvent['type']) => type === 'read.updated' || type === 'mentions.updated' || type === 'thread.read';

/** The kinds `isOwnEvent` names, for a database filter (the scoped feed's, docs/decisions/158). */
export const OWN_EVENT_TYPES: readonly StoredEvent['type'][] = ['read.updated', 'mentions.updated', 'thread.read'];

const later = (a: string, b: string | null) => (b !== null && Date.parse(b) > Date.parse(a) ? b : a);

const MESSAGE_EVENTS: ReadonlySet<string> = new Set(['message.created', 'message.edited', 'message.deleted', 'reaction.changed', 'message.preview']);

/**
 * What `viewerId` is sent for this event, or null when it is not theirs (another user's read
 * position). An event about a thread-only reply goes out wrapped as thread.message, so the room's
 * kinds never carry one (docs/decisions/145-threads.md).
 */
export function viewFor(event: StoredEvent, viewerId: string): DurableEvent | null {
  const view = plainView(event, viewerId);
  const rootId = event.threadRootId ?? (event.type === 'thread.replied' ? event.message?.threadRootId : undefined);
  if (view === null || rootId === undefined || !MESSAGE_EVENTS.has(view.type)) return view;
  return { type: 'thread.message', eventId: event.id, roomId: event.roomId, rootId, event: view as MessageEvent };
}

function plainView(event: StoredEvent, viewerId: string): DurableEvent | null {
  const p = event.payload ?? {};
  const base = { eventId: event.id, roomId: event.roomId };
  switch (event.type) {
    case 'message.created':
    case 'thread.replied':
      return event.message ? { type: 'message.created', ...base, message: event.message } : null;
    case 'thread.updated':
      return event.messageId ? { type: 'thread.updated', ...base, rootId: event.messageId, thread: p as unknown as ThreadSummary } : null;
    case 'thread.read':
      return event.userId === viewerId && event.messageId
        ? {
            type: 'thread.read',
            ...base,
            rootId: event.messageId,
            root: event.message && messageReadableBy(event, viewerId) ? withoutReactions(event.message) : null,
            following: p.following === true,
            lastReadMessageId: (p.lastReadMessageId as string | null) ?? null,
            lastReplyId: (p.lastReplyId as string | null) ?? null,
            unread: p.unread as number,
            mentions: p.mentions as number,
          }
        : null;
    case 'room.joined':
      return {
        type: 'room.joined',
        ...base,
        user: p.user as UserRef,
        room: roomFor(p.room as StoredRoom, viewerId),
        by: (p.by as UserRef | null) ?? null,
        lastMessageId: (p.lastMessageId as string | null) ?? null,
        lastActivityAt: later(event.createdAt, (p.lastMessageAt as string | null) ?? null),
      };
    case 'room.left':
      return { type: 'room.left', ...base, user: p.user as UserRef, by: (p.by as UserRef | null) ?? null, memberCount: p.memberCount as number };
    case 'room.updated':
      return { type: 'room.updated', ...base, room: roomFor(p.room as StoredRoom, viewerId) };
    case 'message.edited':
      return event.message ? { type: 'message.edited', ...base, message: event.message } : null;
    case 'message.preview':
      // Rendered from the message as it is now (null once it is deleted); nothing when the reader may not read it (decision 123).
      return event.message ? { type: 'message.preview', ...base, messageId: event.message.id, preview: event.message.preview ?? null } : null;
    case 'message.deleted':
      return event.messageId ? { type: 'message.deleted', ...base, messageId: event.messageId, deleted: { at: p.at as string, by: p.by === 'moderator' ? 'moderator' : 'author' } } : null;
    case 'reaction.changed':
      return event.messageId
        ? {
            type: 'reaction.changed',
            ...base,
            messageId: event.messageId,
            emoji: p.emoji as string,
            count: p.count as number,
            users: p.users as UserRef[],
            user: p.user as UserRef,
            on: p.on as boolean,
            order: p.order as string,
          }
        : null;
    case 'user.updated':
      return { type: 'user.updated', ...base, user: p.user as UserProfile };
    case 'message.pinned':
      // Rendered from the message as it is now: nothing when the reader may not read it (decision 123).
      return event.message && event.messageId
        ? { type: 'message.pinned', ...base, pin: { message: withoutReactions(event.message), pinnedBy: (p.pinnedBy as UserRef | null) ?? null, pinnedAt: p.pinnedAt as string } }
        : null;
    case 'message.unpinned':
      return event.messageId ? { type: 'message.unpinned', ...base, messageId: event.messageId, by: (p.by as UserRef | null) ?? null } : null;
    case 'mentions.updated':
      return event.userId === viewerId ? { type: 'mentions.updated', ...base, mentions: p.mentions as number } : null;
    case 'read.updated':
      return event.userId === viewerId && event.messageId
        ? { type: 'read.updated', ...base, messageId: event.messageId, unread: p.unread as number, mentions: (p.mentions as number | undefined) ?? 0 }
        : null;
    default:
      return null;
  }
}

const withoutReactions = ({ reactions: _reactions, ...message }: RoomMessage): RoomMessage => message;

/** Views of frozen events that every viewer sees alike, one per event: its JSON and frames are then built once. */
const sharedViews = new WeakMap<StoredEvent, DurableEvent>();

/** Whether `viewFor` may differ by viewer beyond being null: a DM's (or group DM's) room is named after the other members. */
const viewerDependent = (event: StoredEvent) => {
  if (isOwnEvent(event.type)) return true;
  if (event.type !== 'room.joined' && event.type !== 'room.updated') return false;
  const room = event.payload?.room as StoredRoom | undefined;
  return room?.kind === 'dm' || Boolean(room?.groupMembers);
};

/**
 * `viewFor`, but for a frozen event whose view is the same for every viewer (a message, an edit, a
 * reaction, a channel's join), one frozen object shared by all the streams it goes to.
 */
export function sharedViewFor(event: StoredEvent, viewerId: string): DurableEvent | null {
  if (!Object.isFrozen(event) || viewerDependent(event)) return viewFor(event, viewerId);
  let view = sharedViews.get(event);
  if (view === undefined) {
    const made = viewFor(event, viewerId);
    if (!made) return null;
    view = Object.freeze(made);
    sharedViews.set(event, view);
  }
  return view;
}
