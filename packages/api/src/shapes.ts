import type { AttachmentRecord, LinkPreviewRecord, MessageRecord, ReactionRecord, UserRecord } from '@chat/db';
import type { Attachment } from './schemas/file.schema';
import { quoteExcerpt } from './schemas/quote';

export type { Attachment };

// The shapes the API returns: plain JSON, timestamps as ISO-8601 strings.

/** A user as other shapes name one (author, mentioned, reacted, joined...). */
export interface UserRef {
  id: string;
  username: string;
  /**
   * The user's avatar version, where the output carries one (message authors, room members, user search,
   * user.updated); omitted when they have none (show initials). Read it at `avatarPath(id, avatar)` with an
   * avatar ticket (docs/decisions/143-avatars.md).
   */
  avatar?: string;
  /**
   * The name the user chose to be shown by (docs/decisions/155-profiles.md), where the output carries an avatar;
   * omitted when none (show the username). Never like another account's username; mentions stay @username.
   */
  displayName?: string;
}

/** A status as others see it; omitted once `expiresAt` has passed (hide it then: no event says so). */
export interface UserStatus {
  /** May be '' when the emoji says it all. */
  text: string;
  emoji?: string;
  expiresAt?: string;
}

/** A user with their whole profile, as user.updated carries them (docs/decisions/155-profiles.md). */
export interface UserProfile extends UserRef {
  status?: UserStatus;
  /** An IANA zone such as Europe/Paris: show "14:05 local time". */
  timeZone?: string;
}

export interface PublicUser {
  id: string;
  username: string;
  createdAt: string;
  /** As UserRef.avatar. */
  avatar?: string;
  /** As UserRef.displayName. */
  displayName?: string;
  /** As UserProfile.status. */
  status?: UserStatus;
  /** As UserProfile.timeZone. */
  timeZone?: string;
}

type UserFields = {
  id: string;
  username: string;
  avatar?: string | null;
  displayName?: string | null;
  status?: { text: string; emoji: string | null; expiresAt: Date | null } | null;
  timeZone?: string | null;
};

/** A user reference with its avatar and display name only when it has them, so a plain user is the JSON it always was. */
export const toUserRef = (u: Omit<UserFields, 'status' | 'timeZone'>): UserRef => {
  const ref: UserRef = { id: u.id, username: u.username };
  if (u.avatar) ref.avatar = u.avatar;
  if (u.displayName) ref.displayName = u.displayName;
  return ref;
};

/** A status still showing at `now`, as the API sends it; undefined once expired. */
export function toUserStatus(status: UserFields['status'], now = Date.now()): UserStatus | undefined {
  if (!status || (status.expiresAt && status.expiresAt.getTime() <= now)) return undefined;
  return { text: status.text, ...(status.emoji ? { emoji: status.emoji } : {}), ...(status.expiresAt ? { expiresAt: status.expiresAt.toISOString() } : {}) };
}

/** The profile fields a user has, for the outputs that carry them. */
const profileFields = (u: UserFields): Pick<PublicUser, 'displayName' | 'status' | 'timeZone'> => {
  const status = toUserStatus(u.status);
  return { ...(u.displayName ? { displayName: u.displayName } : {}), ...(status ? { status } : {}), ...(u.timeZone ? { timeZone: u.timeZone } : {}) };
};

export interface ChatMessage {
  id: string;
  text: string;
  createdAt: string;
  author: UserRef;
  clientMessageId: string | null;
  // Issue 15: each field below is omitted when empty, so a plain message's JSON is what it always was.
  /** ISO time of the last edit. */
  editedAt?: string;
  /** Set when the message was deleted: `text` is '' and mentions, reactions and replyTo are omitted. */
  deleted?: { at: string; by: 'author' | 'moderator' };
  /** The message this one answers, in that message's current state (excerpt '' once it is deleted). */
  replyTo?: { id: string; author: UserRef; excerpt: string; deleted: boolean };
  /** Members of the room named as `@username`, in order of first appearance (at most 20). */
  mentions?: UserRef[];
  /** One entry per emoji, by `order` ascending (compare ids: shorter first, then as strings). */
  reactions?: Reaction[];
  /** The card of the text's first http(s) link, fetched by the server after the send (docs/decisions/138); arrives later by message.preview. */
  preview?: LinkPreview;
  /** Files sent with it, in the order sent (issue 24); omitted when none and once deleted. Read them at /files/<id>. */
  attachments?: Attachment[];
  /** A thread reply: its root message's id (docs/decisions/145-threads.md). */
  threadRootId?: string;
  /** A thread reply also sent to the room: it is in the room's timeline too. */
  alsoInRoom?: true;
  /** A root with replies: its thread's counters (kept when the root is deleted: the thread stays readable). */
  thread?: ThreadSummary;
}

/** A thread's counters, on its root. */
export interface ThreadSummary {
  /** Every reply, deleted ones too (they stay in the thread as placeholders). */
  replyCount: number;
  lastReplyAt: string;
  /** The last (at most 3) distinct repliers, newest first. */
  repliers: UserRef[];
}

/** A link preview card: what the linked page says about itself (Open Graph, Twitter or <title>). */
export interface LinkPreview {
  /** The link as written in the message (the card's target). */
  url: string;
  title: string;
  description?: string;
  siteName?: string;
  /**
   * The page's image: an absolute https URL that passed the same address checks as the page; sizes when
   * known. `attachmentId` when the server stored it re-encoded: read it with `file.ticket` as an
   * attachment of the message (same access; the web's CSP loads no image from other sites).
   */
  image?: { url: string; width?: number; height?: number; attachmentId?: string };
}

/** One emoji's reactions to a message, as one reader sees them. */
export interface Reaction {
  emoji: string;
  /** Everyone who reacted with it. */
  count: number;
  /** The first 20 who reacted, oldest first. */
  users: UserRef[];
  /** Whether the reader is among them. */
  me: boolean;
  /**
   * Where the emoji sits: a decimal id, larger for an emoji that came in later. It stays while any
   * reaction with the emoji remains; one that comes back after having none gets a new, larger one.
   */
  order: string;
}

export interface AuthResult {
  token: string;
  user: PublicUser;
}

export const toPublicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  username: u.username,
  createdAt: u.createdAt.toISOString(),
  ...(u.avatar ? { avatar: u.avatar } : {}),
  ...profileFields(u),
});

/**
 * A stored message as the API returns it: the issue-15 fields only when set, so a plain message
 * is the same JSON as before them; a deleted one keeps only its placeholder (and editedAt).
 */
export function toChatMessage(m: MessageRecord): ChatMessage {
  const message: ChatMessage = {
    id: m.id,
    text: m.text,
    createdAt: m.createdAt.toISOString(),
    author: toUserRef(m.author),
    clientMessageId: m.clientMessageId,
  };
  if (m.editedAt) message.editedAt = m.editedAt.toISOString();
  if (m.threadRootId) {
    message.threadRootId = m.threadRootId;
    if (m.inRoom) message.alsoInRoom = true;
  }
  if (m.thread) {
    const { replyCount, lastReplyAt, repliers } = m.thread;
    message.thread = { replyCount, lastReplyAt: lastReplyAt.toISOString(), repliers: repliers.map((u) => ({ id: u.id, username: u.username })) };
  }
  if (m.deleted) {
    message.deleted = { at: m.deleted.at.toISOString(), by: m.deleted.by };
    return message;
  }
  if (m.replyTo) {
    const { id, author, deleted, text } = m.replyTo;
    message.replyTo = { id, author: { id: author.id, username: author.username }, excerpt: deleted ? '' : quoteExcerpt(text), deleted };
  }
  if (m.mentions && m.mentions.length > 0) message.mentions = m.mentions.map((u) => ({ id: u.id, username: u.username }));
  if (m.reactions && m.reactions.length > 0) message.reactions = m.reactions.map(toReaction);
  if (m.preview) message.preview = toLinkPreview(m.preview);
  if (m.attachments && m.attachments.length > 0) message.attachments = m.attachments.map(toAttachment);
  return message;
}

/** A stored card as the API sends it: only the fields a card has (the column is JSON). */
export function toLinkPreview(p: LinkPreviewRecord): LinkPreview {
  const card: LinkPreview = { url: p.url, title: p.title };
  if (p.description) card.description = p.description;
  if (p.siteName) card.siteName = p.siteName;
  if (p.image) {
    card.image = { url: p.image.url, ...(p.image.width && p.image.height ? { width: p.image.width, height: p.image.height } : {}) };
    if (p.image.attachmentId) card.image.attachmentId = p.image.attachmentId;
  }
  return card;
}

/** Pixel sizes and motion only for images (a file has none to show). */
export function toAttachment(a: AttachmentRecord): Attachment {
  const attachment: Attachment = { id: a.id, name: a.name, type: a.type, size: a.size, kind: a.kind };
  if (a.kind === 'image') {
    if (a.width !== null) attachment.width = a.width;
    if (a.height !== null) attachment.height = a.height;
    if (a.animated !== null) attachment.animated = a.animated;
  }
  return attachment;
}

export const toReaction = (r: ReactionRecord): Reaction => ({
  emoji: r.emoji,
  count: r.count,
  users: r.users.map((u) => ({ id: u.id, username: u.username })),
  me: r.me,
  order: r.order,
});

/** One of the caller's live sessions (auth.sessions, docs/decisions/156-sessions-and-devices.md). */
export interface DeviceSession {
  id: string;
  /** "Firefox on Windows": fixed words from the login's User-Agent ("Unknown device" when none matched). */
  device: string;
  createdAt: string;
  /** The last token refresh, or the login: within about an hour of the last use. */
  lastUsedAt: string;
  /** The session this call came from. */
  current: boolean;
}
