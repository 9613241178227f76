import type { Role } from './schemas/admin.schema';
import type { NotificationSettings } from './schemas/notification.schema';
import type { ChatMessage, LinkPreview, ThreadSummary, UserProfile, UserRef } from './shapes';

// UserRef lives with ChatMessage (which names users); exported here too, where it always was.
export type { UserRef };

// The conversations contract (issue 14): what room.* returns and what chat.onEvent carries.
// Plain JSON; ids are strings; timestamps ISO-8601.

export type RoomKind = 'channel' | 'private' | 'dm';

/** A room as a member sees it. */
export interface Room {
  id: string;
  kind: RoomKind;
  /** Channel or private-room name; for a DM, the other user's username. */
  name: string;
  topic: string | null;
  /** DMs only: the other user, with their avatar and display name when they have them (show `displayName ?? username`). */
  peer: UserRef | null;
  /** Who created it (may rename it; private rooms: may remove members); null for #everyone and DMs. */
  createdBy: string | null;
  memberCount: number;
  createdAt: string;
  /**
   * Group DMs only (docs/decisions/153-group-dms.md): its members, the reader included, by name (with avatar and display name). A
   * group DM is a `private` room to a client that does not know this field; its `name` is the other
   * members' names ("ann, bob"), and it has no creator until a member converts it into a private room.
   */
  group?: { members: UserRef[] };
}

/** A row of `room.list()`: the room, the caller's read state and the room's last activity. */
export interface RoomListItem extends Room {
  /** Messages by others after the caller's last-read message. */
  unread: number;
  /** The caller's last-read message in this room, or null if none yet. */
  lastReadMessageId: string | null;
  /** The newest message in the room, or null. Clients use it to apply message.created idempotently. */
  lastMessageId: string | null;
  /** The newest message's time, or the room's creation (or the caller's join) time: the list's order. */
  lastActivityAt: string;
  /** Messages by others after the caller's last-read message, not deleted, whose current mentions name the caller. */
  mentions: number;
}

/** A public channel in the directory (`room.browse`): only what a non-member may see. */
export interface DirectoryRoom {
  id: string;
  name: string;
  topic: string | null;
  memberCount: number;
  /** Whether the caller is a member. */
  joined: boolean;
}

/** A message as delivered on chat.onEvent and by room-aware history: the ChatMessage plus its room. */
export interface RoomMessage extends ChatMessage {
  roomId: string;
}

/**
 * A pinned message (`chat.pins`, newest pin first; docs/decisions/154-pinned-messages.md): the
 * message as members read it, without reactions, who pinned it (null once their account is gone) and when.
 */
export interface Pin {
  message: RoomMessage;
  pinnedBy: UserRef | null;
  pinnedAt: string;
}

/** A `chat.search` hit: the message in its current state and its text with the matches marked. */
export interface SearchResult {
  message: RoomMessage;
  /** The text around the matches, in order; `match` segments are the words the query found. */
  snippet: { text: string; match: boolean }[];
}

/**
 * Durable events: stored with an id from one global, commit-ordered sequence; chat.onEvent sends
 * each as `tracked(eventId, event)`, replays them after a lastEventId, and applying them to a
 * snapshot taken at cursor C (chat.eventCursor) in id order gives what a fresh snapshot returns.
 * Applying is idempotent: a client may receive an event its snapshot already reflects.
 */
export type DurableEvent =
  | MessageEvent
  /**
   * An event about a reply that lives only in its thread (docs/decisions/145-threads.md): `event` is
   * what the room would have carried (message.created for a new reply, then its edits, deletes,
   * reactions and preview), applied to the thread of `rootId` instead. chat.onMessage, chat.history
   * and the kinds above never carry such a reply; a reply also sent to the room comes as a plain
   * message.created (its message has `threadRootId` and `alsoInRoom`).
   */
  | { type: 'thread.message'; eventId: string; roomId: string; rootId: string; event: MessageEvent }
  /** The root's thread counters right after a reply: set `thread` on the root message. */
  | { type: 'thread.updated'; eventId: string; roomId: string; rootId: string; thread: ThreadSummary }
  /**
   * The viewer's own state in a thread changed (a follow, an unfollow, a read mark on any device, a
   * reply of theirs, or being named or followed by a reply): absolute values right after it. `root`
   * is the root as it is now (without reactions), null when the viewer may not read it.
   */
  | {
      type: 'thread.read';
      eventId: string;
      roomId: string;
      rootId: string;
      root: RoomMessage | null;
      following: boolean;
      lastReadMessageId: string | null;
      /** The newest reply when the counts were taken: a reply up to it is already counted. */
      lastReplyId: string | null;
      unread: number;
      mentions: number;
    }
  | RoomEvent;

/** The durable events about one message, as the room carries them. */
export type MessageEvent =
  /** The message in its current state at read time, without `reactions` (those arrive only by reaction.changed). */
  | { type: 'message.created'; eventId: string; roomId: string; message: RoomMessage }
  /**
   * The message's new text (current state at read time, without `reactions`): replace it keeping its
   * reactions, and recompute `replyTo.excerpt` (quoteExcerpt) of replies to it.
   */
  | { type: 'message.edited'; eventId: string; roomId: string; message: RoomMessage }
  /** Blank the message (text '', no mentions, reactions or replyTo) and mark quotes of it deleted with excerpt ''. */
  | { type: 'message.deleted'; eventId: string; roomId: string; messageId: string; deleted: { at: string; by: 'author' | 'moderator' } }
  /**
   * `user` reacted (`on`) or took it back: `count` and `users` are that emoji's state right after it,
   * `order` its place (Reaction.order). Set the entry (count 0: remove it) and keep the entries sorted
   * by `order`; `me = on` only when `user` is the viewer.
   */
  | {
      type: 'reaction.changed';
      eventId: string;
      roomId: string;
      messageId: string;
      emoji: string;
      count: number;
      users: UserRef[];
      user: UserRef;
      on: boolean;
      order: string;
    }
  /**
   * The message's link preview as it is now (absolute: set it, null removes it). Sent when a fetched
   * card is stored and when its author removes it (docs/decisions/138-link-previews.md).
   */
  | { type: 'message.preview'; eventId: string; roomId: string; messageId: string; preview: LinkPreview | null };

/** The durable events about rooms, membership and the viewer's read state. */
export type RoomEvent =
  /** The viewer's own unread mentions in the room right after a message naming them was created, edited or deleted. */
  | { type: 'mentions.updated'; eventId: string; roomId: string; mentions: number }
  /**
   * `user` joined (or was added to, or opened the DM) `room`; when it is the caller, the room appears
   * in their list with `unread` 0, `lastReadMessageId` and `lastMessageId` = `lastMessageId`, and
   * `lastActivityAt`. `room` is the room right after the join (its memberCount included).
   */
  | {
      type: 'room.joined';
      eventId: string;
      roomId: string;
      user: UserRef;
      room: Room;
      by: UserRef | null;
      lastMessageId: string | null;
      lastActivityAt: string;
    }
  /** `user` left or was removed (`by` the remover); when it is the caller, the room leaves their list. */
  | { type: 'room.left'; eventId: string; roomId: string; user: UserRef; by: UserRef | null; memberCount: number }
  | { type: 'room.updated'; eventId: string; roomId: string; room: Room }
  /**
   * `user` as they are now (their avatar or profile changed, or their account was deleted and anonymised), sent to
   * every room that shows them: set the author of their messages in this room to its UserRef fields
   * (docs/decisions/143-avatars.md); `status` and `timeZone` are for profile views (docs/decisions/155-profiles.md).
   */
  | { type: 'user.updated'; eventId: string; roomId: string; user: UserProfile }
  /** The caller's own read position changed (on any tab or device); `unread` and `mentions` are the counts right after it. */
  | { type: 'read.updated'; eventId: string; roomId: string; messageId: string; unread: number; mentions: number }
  /**
   * A message was pinned (docs/decisions/154): put `pin` in the room's pinned list, newest `pinnedAt`
   * first (ties: the larger message id first). Its message is rendered as it is now; a pin already held is replaced.
   */
  | { type: 'message.pinned'; eventId: string; roomId: string; pin: Pin }
  /** The message left the pinned list (`by` who unpinned it). A deleted message leaves it too, with no event of this kind: its message.deleted. */
  | { type: 'message.unpinned'; eventId: string; roomId: string; messageId: string; by: UserRef | null };

/** A row of `thread.list`: a followed thread, with the caller's read state in it. */
export interface ThreadListItem {
  rootId: string;
  roomId: string;
  /** The root in its current state (without reactions); `root.thread` holds the counters. */
  root: RoomMessage;
  lastReadMessageId: string | null;
  /** The newest reply when the counts were read: a reply up to it is already counted in them. */
  lastReplyId: string | null;
  /** Replies by others after the read mark. */
  unread: number;
  /** Of those, the ones not deleted whose current mentions name the caller. */
  mentions: number;
}

/** `thread.history`: the root (a placeholder once deleted) and a page of replies, oldest first. */
export interface ThreadPage {
  root: RoomMessage;
  replies: RoomMessage[];
  /** Pass as `cursor` for the older page; null when this is the oldest. */
  nextCursor: string | null;
}

/** The stream is too far behind to replay: refetch room.list and the open room, then continue from `cursor`. */
export interface ResyncEvent {
  type: 'resync';
  eventId: string;
}

/** Someone online, as presence reports them (presence/presence.ts keeps the set; this is its wire shape). */
export interface OnlineUser {
  id: string;
  username: string;
}

/** Ephemeral: not stored, not replayed; sent untracked. */
export type EphemeralEvent =
  | { type: 'typing'; roomId: string; user: UserRef; typing: boolean }
  | { type: 'presence.snapshot'; users: OnlineUser[] }
  | { type: 'presence.changed'; user: OnlineUser; online: boolean }
  /**
   * The viewer's own server role was changed by an owner: menus that depend on it update now. Only
   * the user's sockets open at the time hear it; a stream that (re)starts should read auth.role again.
   */
  | { type: 'role.changed'; role: Role }
  /**
   * The viewer changed their notification settings (on any device): the whole new settings, so the
   * last one heard is the state (docs/decisions/149). Not replayed: a stream that (re)starts reads
   * notifications.get again.
   */
  | { type: 'notifications.changed'; settings: NotificationSettings }
  /**
   * One of the viewer's devices (`device`: its session id) now shows `focusedRoomId` in a focused tab,
   * or no room (null): the others hold back in-tab notifications for that room (docs/decisions/150).
   * Not `roomId`: clients take an event with a roomId for one about that room.
   */
  | { type: 'focus.changed'; device: string; focusedRoomId: string | null };

export type ChatEvent = DurableEvent | ResyncEvent | EphemeralEvent;
