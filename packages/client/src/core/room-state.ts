import type { ChatEvent, ChatMessage, DurableEvent, Room, RoomListItem, UserRef } from '@chat/api';
import { groupName } from '@chat/api/schemas';
import { compareIds } from './ids';
import { applyDeleted, applyEdited, applyPreview, applyReaction, applyThreadUpdated, applyUserUpdated, authorOf, namesMe, sameShown } from './message-lifecycle';

// A client's rooms as a snapshot plus the events after its cursor (Zulip's and Matrix's model):
// `fromSnapshot` takes room.list, histories and (optionally) members read after chat.eventCursor();
// `applyEvent` folds chat.onEvent's events in. Every step sets state rather than adding deltas
// (unread is derived from the messages and the read position, members are a set), so an event the
// snapshot already reflects changes nothing: applying equals fetching.

export interface RoomEntry {
  room: Room;
  lastReadMessageId: string | null;
  /** The loaded messages, oldest first, unique by id. */
  messages: ChatMessage[];
  /** Whether `messages` reaches back to the room's first message. */
  complete: boolean;
  /** Unread messages older than the oldest loaded one (room.list's count less what is loaded). */
  olderUnread: number;
  /** Unread mentions of the caller older than the oldest loaded message, counted the same way. */
  olderMentions: number;
  /** The activity time room.list gave, raised by every newer message. */
  activityAt: string;
  /** Member ids when loaded (room.members): then `memberCount` is exact; otherwise counted from events. */
  members: readonly string[] | null;
  /**
   * The newest message room.list's counts covered (its lastMessageId, or the one a join was read up
   * to): a message up to it that is not held is among `olderUnread`, so its event adds nothing. This
   * is what lets a client hold no history at all (the web's room list) and still count exactly.
   */
  countedTo: string | null;
}

export interface RoomState {
  meId: string;
  /** The last event applied: where chat.onEvent resumes. */
  cursor: string | null;
  rooms: Readonly<Record<string, RoomEntry>>;
  /**
   * Rooms the caller joined after the snapshot: their row and history are not known yet; load them
   * with `loadRoom` (room.list + chat.history), after which later events apply on top.
   */
  toLoad: readonly string[];
  /** Events of rooms in `toLoad` that came before the room was loaded: applied on top of it by `loadRoom`. */
  pending: Readonly<Record<string, readonly DurableEvent[]>>;
  /** The server sent `resync`: take a fresh snapshot from `cursor` (its new cursor). */
  resync: boolean;
  /**
   * Whether a room the caller joins goes to `toLoad` (for its history and members). A client that
   * keeps only the list (`fromRoomList`) needs neither: the join's event is the room's row.
   */
  loadJoined: boolean;
  /**
   * Whether messages at or before the read position are let go (a list-only client holds messages
   * only to count what is unread; read ones count for nothing), so its memory follows the unread.
   */
  dropRead: boolean;
}

export interface RoomSnapshotPart {
  row: RoomListItem;
  /** chat.history's page(s) for the room, any order. */
  messages: readonly ChatMessage[];
  /** Whether they reach back to the first message (history's `nextBefore` was null). */
  complete: boolean;
  members?: readonly string[] | null;
}

export { compareIds };

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * The room as an event carries it, over the held one: every field the event has, and `group` only
 * if it has one (a group DM converted into a private room has none any more; docs/decisions/153).
 */
const roomOver = (held: Room, event: Room, memberCount: number): Room => {
  const { group: _group, ...rest } = held;
  return { ...rest, ...event, memberCount };
};

/** A group's members in the server's order: by lower-case username (byte order), then id. */
const byUsername = (a: UserRef, b: UserRef) => {
  const [x, y] = [a.username.toLowerCase(), b.username.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : compareIds(a.id, b.id);
};

/**
 * The room with `user` as they are now where it names them (a DM's peer, a group's members), so a
 * new display name or avatar shows in the room list at once; an anonymised username (an account
 * deleted) renames the room as the server does. The same room object when nothing changes.
 */
function roomWithUser(room: Room, user: UserRef, meId: string): Room {
  if (room.peer?.id === user.id && !sameShown(room.peer, user)) return { ...room, peer: user, name: room.kind === 'dm' ? user.username : room.name };
  const members = room.group?.members;
  if (!members?.some((m) => m.id === user.id && !sameShown(m, user))) return room;
  const updated = members.map((m) => (m.id === user.id ? user : m)).sort(byUsername);
  return { ...room, group: { members: updated }, name: groupName(updated, meId) };
}

function entryOf({ row, messages, complete, members }: RoomSnapshotPart, meId: string): RoomEntry {
  const { unread, mentions, lastReadMessageId, lastMessageId, lastActivityAt, ...room } = row;
  const sorted = uniqueSorted(messages);
  // The row's counts cover messages up to its lastMessageId; history, read after it, may hold newer ones.
  const counted = sorted.filter((m) => lastMessageId !== null && compareIds(m.id, lastMessageId) <= 0);
  return {
    room,
    lastReadMessageId,
    messages: sorted,
    complete,
    ...olderCounts(counted, complete, lastReadMessageId, meId, { unread, mentions }, lastMessageId),
    // The row may have been read before the newest of the messages (room.list, then history).
    activityAt: later(lastActivityAt, sorted.at(-1)?.createdAt ?? lastActivityAt),
    members: members ? [...new Set(members)].sort() : null,
    countedTo: lastMessageId,
  };
}

const isUnread = (m: ChatMessage, lastRead: string | null, meId: string) =>
  m.author.id !== meId && (lastRead === null || compareIds(m.id, lastRead) > 0);

/** Unread messages and unread mentions of the caller among the loaded messages, as the server counts them. */
function loadedCounts(messages: readonly ChatMessage[], lastRead: string | null, meId: string) {
  const unread = messages.filter((m) => isUnread(m, lastRead, meId));
  return { unread: unread.length, mentions: unread.filter((m) => namesMe(m, meId)).length };
}

/**
 * Whether a read position is at or past every message the older counts can hold (those up to the
 * row's lastMessageId, or older than the oldest held): then nothing older is unread, whatever a
 * count taken against an older read position says (the web reads locally before the server knows).
 */
function pastOlder(messages: readonly ChatMessage[], countedTo: string | null, lastRead: string | null): boolean {
  if (lastRead === null) return false;
  const oldest = messages[0]?.id;
  return (countedTo !== null && compareIds(lastRead, countedTo) >= 0) || (oldest !== undefined && compareIds(lastRead, oldest) >= 0);
}

/** What the loaded messages cannot say (counts of older ones): the server's counts less what they say. */
function olderCounts(messages: readonly ChatMessage[], complete: boolean, lastRead: string | null, meId: string, server: { unread: number; mentions: number }, countedTo: string | null) {
  if (complete || pastOlder(messages, countedTo, lastRead)) return { olderUnread: 0, olderMentions: 0 };
  const loaded = loadedCounts(messages, lastRead, meId);
  return { olderUnread: Math.max(0, server.unread - loaded.unread), olderMentions: Math.max(0, server.mentions - loaded.mentions) };
}

function uniqueSorted(messages: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

export function fromSnapshot(meId: string, cursor: string | null, parts: readonly RoomSnapshotPart[]): RoomState {
  return { meId, cursor, rooms: Object.fromEntries(parts.map((p) => [p.row.id, entryOf(p, meId)])), toLoad: [], pending: {}, resync: false, loadJoined: true, dropRead: false };
}

/**
 * The state of a client that keeps the room list only (the web's sidebar): room.list read after
 * `cursor`, no history. Its counts come from the rows and the messages the stream brings after
 * them; rooms joined later need no load.
 */
export function fromRoomList(meId: string, cursor: string | null, rows: readonly RoomListItem[]): RoomState {
  const parts = rows.map((row): RoomSnapshotPart => ({ row, messages: [], complete: row.lastMessageId === null }));
  return { ...fromSnapshot(meId, cursor, parts), loadJoined: false, dropRead: true };
}

/**
 * Puts a room loaded after the snapshot (one in `toLoad`, or any refetched one) in place, keeping
 * messages already known, then applies the room's events that arrived while it was being loaded.
 */
export function loadRoom(state: RoomState, part: RoomSnapshotPart): RoomState {
  const id = part.row.id;
  const known = state.rooms[id]?.messages ?? [];
  const entry = entryOf({ ...part, messages: [...known, ...part.messages] }, state.meId);
  const { [id]: waiting = [], ...pending } = state.pending;
  let next: RoomState = { ...state, rooms: { ...state.rooms, [id]: entry }, toLoad: state.toLoad.filter((r) => r !== id), pending };
  for (const event of waiting) next = applyRoomEvent(next, event);
  return next;
}

/** Applies one event from chat.onEvent; ephemeral events (typing, presence) leave the rooms as they are. */
export function applyEvent(state: RoomState, event: ChatEvent): RoomState {
  if (!('eventId' in event)) return state;
  if (state.cursor !== null && compareIds(event.eventId, state.cursor) <= 0) return state;
  const next = { ...state, cursor: event.eventId };
  if (event.type === 'resync') return { ...next, resync: true };
  const selfMembership = (event.type === 'room.joined' || event.type === 'room.left') && event.user.id === state.meId;
  if (state.toLoad.includes(event.roomId) && !selfMembership) {
    return { ...next, pending: { ...state.pending, [event.roomId]: [...(state.pending[event.roomId] ?? []), event] } };
  }
  return applyRoomEvent(next, event);
}

/** One durable event on the rooms, setting state (never adding deltas where the state is known), so a repeat changes nothing. */
function applyRoomEvent(state: RoomState, event: DurableEvent): RoomState {
  const entry = state.rooms[event.roomId];
  const put = (changed: RoomEntry): RoomState => ({ ...state, rooms: { ...state.rooms, [event.roomId]: changed } });
  const without = (): RoomState => {
    const { [event.roomId]: _gone, ...rooms } = state.rooms;
    const { [event.roomId]: _dropped, ...pending } = state.pending;
    return { ...state, rooms, pending, toLoad: state.toLoad.filter((r) => r !== event.roomId) };
  };
  switch (event.type) {
    case 'message.created': {
      if (!entry) return state;
      const { roomId: _roomId, ...message } = event.message;
      // A message already held still counts for the activity time: the row it came with may be older than it.
      const activityAt = later(entry.activityAt, message.createdAt);
      // Held already, or older than a partial history or covered by the row (then room.list's count has it among the older unread).
      const oldest = entry.messages[0];
      const older =
        !entry.complete && ((oldest !== undefined && compareIds(message.id, oldest.id) < 0) || (entry.countedTo !== null && compareIds(message.id, entry.countedTo) <= 0));
      if (older || entry.messages.some((m) => m.id === message.id)) return activityAt === entry.activityAt ? state : put({ ...entry, activityAt });
      return put({ ...entry, messages: uniqueSorted([...entry.messages, message]), activityAt });
    }
    case 'room.joined': {
      if (!entry) {
        if (event.user.id !== state.meId) return state;
        // The caller joined a room it does not hold: it shows at once, read up to the join (as the
        // server sets it); its history and members are not in the event, so it is also to load.
        const joined: RoomEntry = {
          room: event.room,
          lastReadMessageId: event.lastMessageId,
          messages: [],
          complete: event.lastMessageId === null,
          olderUnread: 0,
          olderMentions: 0,
          activityAt: event.lastActivityAt,
          members: null,
          countedTo: event.lastMessageId,
        };
        if (!state.loadJoined) return put(joined);
        return { ...put(joined), toLoad: [...state.toLoad.filter((r) => r !== event.roomId), event.roomId] };
      }
      const members = entry.members && [...new Set([...entry.members, event.user.id])].sort();
      return put({ ...entry, room: roomOver(entry.room, event.room, members?.length ?? event.room.memberCount), members });
    }
    case 'room.left': {
      if (event.user.id === state.meId) return without();
      if (!entry) return state;
      const members = entry.members && entry.members.filter((m) => m !== event.user.id);
      return put({ ...entry, room: { ...entry.room, memberCount: members?.length ?? event.memberCount }, members });
    }
    case 'room.updated':
      if (!entry) return state;
      return put({ ...entry, room: roomOver(entry.room, event.room, entry.members?.length ?? event.room.memberCount) });
    case 'read.updated': {
      if (!entry) return state;
      // Read positions only move forward and each move is one event, so one at or behind the held
      // position happened before the snapshot was read: its unread count may miss messages sent
      // since. At the position itself, its mention count still holds (every later change of it is
      // a mentions.updated that follows); behind it, it says nothing the snapshot does not.
      const lastRead = entry.lastReadMessageId;
      const behind = lastRead !== null && compareIds(event.messageId, lastRead) <= 0;
      if (!behind) return put(settled(state, { ...entry, lastReadMessageId: event.messageId, ...olderCounts(entry.messages, entry.complete, event.messageId, state.meId, event, entry.countedTo) }));
      if (event.messageId !== lastRead) return state;
      return setOlderMentions(state, entry, put, event.mentions);
    }
    case 'mentions.updated':
      return entry ? setOlderMentions(state, entry, put, event.mentions) : state;
    // Unread counts keep counting deleted messages (their placeholders stay), so only the messages change.
    case 'message.edited':
      return entry ? put({ ...entry, messages: applyEdited(entry.messages, event) }) : state;
    case 'message.deleted':
      return entry ? put({ ...entry, messages: applyDeleted(entry.messages, event) }) : state;
    case 'reaction.changed':
      return entry ? put({ ...entry, messages: applyReaction(entry.messages, event, state.meId) }) : state;
    case 'message.preview':
      return entry ? put({ ...entry, messages: applyPreview(entry.messages, event) }) : state;
    case 'user.updated': {
      if (!entry) return state;
      const messages = applyUserUpdated(entry.messages, event);
      const room = roomWithUser(entry.room, authorOf(event.user), state.meId);
      return messages === entry.messages && room === entry.room ? state : put({ ...entry, messages, room });
    }
    // A held root shows its thread's counters; the thread's own events are thread-state.ts's.
    case 'thread.updated':
      return entry && entry.messages.some((m) => m.id === event.rootId) ? put({ ...entry, messages: applyThreadUpdated(entry.messages, event) }) : state;
    // A thread's own events, and a kind this client does not know yet (a newer server): nothing of the rooms changes.
    case 'thread.message':
    case 'thread.read':
    default:
      return state;
  }
}

/** The server's mention count for the room, less what the loaded messages say, is the older ones'. */
function setOlderMentions(state: RoomState, entry: RoomEntry, put: (e: RoomEntry) => RoomState, mentions: number): RoomState {
  const loaded = loadedCounts(entry.messages, entry.lastReadMessageId, state.meId).mentions;
  const olderMentions = entry.complete || pastOlder(entry.messages, entry.countedTo, entry.lastReadMessageId) ? 0 : Math.max(0, mentions - loaded);
  return olderMentions === entry.olderMentions ? state : put({ ...entry, olderMentions });
}

const newest = (a: string | null, b: string | null) => (a === null ? b : b === null || compareIds(a, b) >= 0 ? a : b);

/**
 * The caller read `roomId` up to `messageId` here (the web's open room, before room.markRead's
 * read.updated comes back): the position moves forward only. Read up to the newest message known,
 * or past what the row counted, nothing older is unread; otherwise the older counts stay until the
 * server's read.updated sets them.
 */
export function markRead(state: RoomState, roomId: string, messageId: string): RoomState {
  const entry = state.rooms[roomId];
  if (!entry || (entry.lastReadMessageId !== null && compareIds(messageId, entry.lastReadMessageId) <= 0)) return state;
  const older = pastOlder(entry.messages, entry.countedTo, messageId) ? { olderUnread: 0, olderMentions: 0 } : {};
  return { ...state, rooms: { ...state.rooms, [roomId]: settled(state, { ...entry, lastReadMessageId: messageId, ...older }) } };
}

/**
 * With `dropRead`, the entry without its messages at or before the read position: `countedTo`
 * moves up to the newest one let go, so a replayed event of one of them still changes nothing,
 * and the counts stay (a read message is neither unread nor an unread mention).
 */
function settled(state: RoomState, entry: RoomEntry): RoomEntry {
  const lastRead = entry.lastReadMessageId;
  if (!state.dropRead || lastRead === null) return entry;
  const kept = entry.messages.filter((m) => compareIds(m.id, lastRead) > 0);
  if (kept.length === entry.messages.length) return entry;
  const dropped = entry.messages[entry.messages.length - kept.length - 1]!.id;
  // No longer the whole history: what is let go is behind countedTo, where events find it counted.
  return { ...entry, messages: kept, complete: false, countedTo: newest(entry.countedTo, dropped) };
}

/** The state as room.list returns it: unread and mentions derived as the server derives them, newest activity first. */
export function roomList(state: RoomState): RoomListItem[] {
  return Object.values(state.rooms)
    .map((e): RoomListItem => {
      const loaded = loadedCounts(e.messages, e.lastReadMessageId, state.meId);
      return {
        ...e.room,
        unread: e.olderUnread + loaded.unread,
        mentions: e.olderMentions + loaded.mentions,
        lastReadMessageId: e.lastReadMessageId,
        lastMessageId: newest(e.countedTo, e.messages.at(-1)?.id ?? null),
        lastActivityAt: e.activityAt,
      };
    })
    .sort((a, b) => (a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : compareIds(a.id, b.id)));
}
