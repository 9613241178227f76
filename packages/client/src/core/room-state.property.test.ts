import type { ChatEvent, ChatMessage, LinkPreview, Reaction, Room, RoomListItem, UserProfile, UserRef } from '@chat/api';
import { groupName, quoteExcerpt } from '@chat/api/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ME, time, userArb as user, USERS } from './event-model.test-helpers';
import { compareIds } from './ids';
import type { MessageChange } from './message-lifecycle';
import { foldTimeline } from './message-list';
import { applyEvent, fromRoomList, fromSnapshot, roomList, type RoomState } from './room-state';

// "Applying equals fetching" for issue 15's events, against a model of the server written from the
// contract (docs/decisions/070, issue 15): random sends (with mentions and replies), edits, deletes,
// reactions and reads by three users, refused ones included; a snapshot read at any moment after
// its cursor, with a full or partial history, plus the events after the cursor (each message
// rendered at some moment after its event, as a replay renders it) ends where a fresh snapshot is.
// Others join and leave and the room is renamed, and link previews arrive and are removed (issue 24),
// so every durable event type of one room is in the stream. Users change their avatars and their display
// names and statuses (user.updated, docs/decisions/143-avatars.md, 155-profiles.md), members or not, and authors
// are rendered as they are now (statuses never on authors). The room is a channel, a DM with ann or a group DM
// (decision 153), whose peer and members the room list shows with their display names and avatars: a
// profile change there must reach the list as it reaches the messages. It runs the folds both clients run: the room state with a full or partial history (bots,
// the invariant test), the list-only state (the web's sidebar: fromRoomList) and the paged timeline
// (the web's open room: foldTimeline). The real server's version, with rooms the observer joins and
// leaves, is apps/server/src/contract/rooms.invariant.test.ts.

const EMOJI = ['👍', '❤️', '🎉'];
const TEXTS = ['hi', 'two\nlines', '  \n indented first line ', 'x'.repeat(130), '🙂'.repeat(125)];
const ROOM_ID = 'r';

interface ModelMessage {
  id: string;
  author: UserRef;
  text: string;
  createdAt: string;
  editedAt: string | null;
  deleted: { at: string; by: 'author' } | null;
  replyTo: string | null;
  mentions: UserRef[];
  /** In the order they were added; `seq` orders them as the server's reaction ids do. */
  reactions: { emoji: string; user: UserRef; seq: number }[];
  /** Each emoji keeps the seq of the reaction that brought it in until it has none (decision 100's emoji_order), in that order. */
  emojiOrder: { emoji: string; order: string }[];
  /** The stored preview (docs/decisions/138): a card, or the author's removal mark (card null) for its link. */
  preview: { url: string; card: LinkPreview | null } | null;
}

/** Cards a fetch may store; the second has every optional field. */
const CARDS: LinkPreview[] = [
  { url: 'https://a.example/', title: 'A' },
  { url: 'https://b.example/x', title: 'B', description: 'about b', siteName: 'Bee', image: { url: 'https://b.example/i.png', width: 1200, height: 630 } },
  // An image the server stored as a file of the message (decision 141).
  { url: 'https://c.example/', title: 'C', image: { url: 'https://c.example/c.png', width: 600, height: 300, attachmentId: 'c'.repeat(32) } },
];

type Stored =
  | { eventId: string; type: 'message.created' | 'message.edited'; messageId: string }
  | { eventId: string; type: 'room.joined'; user: UserRef; room: Room; lastMessageId: string | null; lastActivityAt: string }
  | { eventId: string; type: 'room.left'; user: UserRef; memberCount: number }
  | { eventId: string; type: 'room.updated'; room: Room }
  | { eventId: string; type: 'message.deleted'; messageId: string; deleted: { at: string; by: 'author' } }
  | { eventId: string; type: 'reaction.changed'; messageId: string; emoji: string; count: number; users: UserRef[]; user: UserRef; on: boolean; order: string }
  | { eventId: string; type: 'mentions.updated'; mentions: number }
  | { eventId: string; type: 'read.updated'; messageId: string; unread: number; mentions: number }
  | { eventId: string; type: 'message.preview'; messageId: string }
  | { eventId: string; type: 'user.updated'; user: UserProfile };

/** The room the model serves: a channel, a DM of the viewer with ann, or a group DM of all three (docs/decisions/153). */
type RoomKindModel = 'channel' | 'dm' | 'group';

interface Model {
  kind: RoomKindModel;
  messages: ModelMessage[];
  /** Who is in the room (the viewer always: its own leaving is the real invariant test's). */
  members: string[];
  name: string;
  topic: string | null;
  /** The viewer's read position. */
  lastRead: string | null;
  /** The events the viewer may see, in id order. */
  events: Stored[];
  seq: number;
  /** Each user's avatar now (absent: none). */
  avatars: Record<string, string>;
  /** Each user's display name and status index now (absent: none; docs/decisions/155-profiles.md). */
  profiles: Record<string, { name: number; status: number }>;
}

type Op =
  | { kind: 'send'; by: number; text: number; mentions: number[]; replyTo: number | null }
  | { kind: 'edit'; by: number; msg: number; text: number; mentions: number[] }
  | { kind: 'delete'; by: number; msg: number }
  | { kind: 'react'; by: number; msg: number; emoji: number; on: boolean }
  | { kind: 'read'; msg: number }
  | { kind: 'join' | 'leave'; by: number }
  | { kind: 'rename'; name: number; topic: number }
  | { kind: 'preview'; msg: number; card: number }
  | { kind: 'unpreview'; by: number; msg: number }
  | { kind: 'avatar'; by: number; avatar: number }
  | { kind: 'profile'; by: number; name: number; status: number };

const mentionsArb = fc.uniqueArray(user, { maxLength: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), by: user, text: fc.nat({ max: TEXTS.length - 1 }), mentions: mentionsArb, replyTo: fc.option(fc.nat(), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('edit' as const), by: user, msg: fc.nat(), text: fc.nat({ max: TEXTS.length - 1 }), mentions: mentionsArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), by: user, msg: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('react' as const), by: user, msg: fc.nat(), emoji: fc.nat({ max: EMOJI.length - 1 }), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), msg: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), by: fc.integer({ min: 1, max: USERS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), name: fc.nat({ max: 2 }), topic: fc.nat({ max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('preview' as const), msg: fc.nat(), card: fc.nat({ max: CARDS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unpreview' as const), by: user, msg: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('avatar' as const), by: user, avatar: fc.nat({ max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('profile' as const), by: user, name: fc.nat({ max: 2 }), status: fc.nat({ max: 2 }) }) },
);
/** null: the avatar removed. */
const AVATARS = [null, 'a1', 'a2'];
/** null: none. */
const DISPLAY_NAMES = [null, 'Ann Lee', 'Zed'];
/** Statuses travel on user.updated, never on message authors: a fold that copied them would differ from history. */
const STATUSES = [null, { text: 'lunch', emoji: '🍔' }, { text: 'away', expiresAt: '2026-12-31T00:00:00.000Z' }];
/** The user as message authors show them now: avatar and display name. */
const withAvatar = (m: Pick<Model, 'avatars' | 'profiles'>, u: UserRef): UserRef => {
  const name = DISPLAY_NAMES[m.profiles[u.id]?.name ?? 0];
  return { ...u, ...(m.avatars[u.id] ? { avatar: m.avatars[u.id]! } : {}), ...(name ? { displayName: name } : {}) };
};
/** The user as user.updated carries them: the author fields and the status. */
const profileOf = (m: Pick<Model, 'avatars' | 'profiles'>, u: UserRef): UserProfile => {
  const status = STATUSES[m.profiles[u.id]?.status ?? 0];
  return { ...withAvatar(m, u), ...(status ? { status } : {}) };
};
const NAMES = ['room', 'general', 'ops'];
const TOPICS = [null, 'deploys', 'lunch'];

// ---- the model server ------------------------------------------------------------------------------

const unreadOf = (m: Model) => m.messages.filter((x) => x.author.id !== ME.id && (m.lastRead === null || Number(x.id) > Number(m.lastRead)));
const mentionCount = (m: Model) => unreadOf(m).filter((x) => !x.deleted && x.mentions.some((u) => u.id === ME.id)).length;

/** Mentions come from the text (`@name`), so the same text always names the same people. */
const textOf = (op: { text: number; mentions: number[] }) => `${TEXTS[op.text]}${op.mentions.map((u) => ` @${USERS[u]!.username}`).join('')}`;
/** A mention names a current member (decision 100). */
const mentionsIn = (text: string, members: readonly string[]) =>
  USERS.filter((u) => members.includes(u.id) && text.includes(`@${u.username}`)).sort((a, b) => text.indexOf(`@${a.username}`) - text.indexOf(`@${b.username}`));

/** A group's members as the server lists them: by username. */
const byUsername = (a: UserRef, b: UserRef) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

/** The room as the server renders it for the viewer now: a DM's peer and a group's members as they are now. */
function roomOf(m: Model): Room {
  const base = { id: ROOM_ID, topic: m.topic, memberCount: m.members.length, createdAt: time(0) };
  if (m.kind === 'channel') return { ...base, kind: 'channel', name: m.name, peer: null, createdBy: ME.id };
  if (m.kind === 'dm') return { ...base, kind: 'dm', name: USERS[1]!.username, peer: withAvatar(m, USERS[1]!), createdBy: null };
  const members = USERS.filter((u) => m.members.includes(u.id)).sort(byUsername).map((u) => withAvatar(m, u));
  return { ...base, kind: 'private', name: groupName(members, ME.id), peer: null, createdBy: null, group: { members } };
}

/** One emoji's state: all reactors oldest first. */
const reactorsOf = (m: ModelMessage, emoji: string) => m.reactions.filter((r) => r.emoji === emoji).sort((a, b) => a.seq - b.seq);

function step(prev: Model, op: Op, t: number): Model {
  const m: Model = structuredClone(prev);
  const id = () => String(++m.seq);
  // Mostly the newest few messages, so reactions and edits pile up on the same ones.
  const target = 'msg' in op && m.messages.length ? m.messages[m.messages.length - 1 - (op.msg % Math.min(4, m.messages.length))]! : undefined;
  const mentionsBefore = mentionCount(m);
  const changedMentions = () => {
    const after = mentionCount(m);
    if (after !== mentionsBefore) m.events.push({ eventId: id(), type: 'mentions.updated', mentions: after });
  };
  // Only members act on the room's messages (FORBIDDEN otherwise).
  if ('by' in op && op.kind !== 'join' && op.kind !== 'avatar' && op.kind !== 'profile' && !m.members.includes(USERS[op.by]!.id)) return prev;
  switch (op.kind) {
    case 'profile': {
      // Anyone's, member or not, like an avatar; the same profile again writes no event (user-profile.ts).
      const who = USERS[op.by]!;
      const before = m.profiles[who.id] ?? { name: 0, status: 0 };
      if (before.name === op.name && before.status === op.status) return prev;
      m.profiles[who.id] = { name: op.name, status: op.status };
      if (m.members.includes(who.id) || m.messages.some((x) => x.author.id === who.id)) m.events.push({ eventId: id(), type: 'user.updated', user: profileOf(m, who) });
      return m;
    }
    case 'avatar': {
      // Anyone's, member or not; the room hears it if it shows them: a member, or the author of any message in it (user-avatar.ts).
      const who = USERS[op.by]!;
      const avatar = AVATARS[op.avatar]!;
      if ((m.avatars[who.id] ?? null) === avatar) return prev; // removing none: no change, no event
      if (avatar === null) delete m.avatars[who.id];
      else m.avatars[who.id] = avatar;
      if (m.members.includes(who.id) || m.messages.some((x) => x.author.id === who.id)) m.events.push({ eventId: id(), type: 'user.updated', user: profileOf(m, who) });
      return m;
    }
    case 'join':
    case 'leave': {
      const who = USERS[op.by]!;
      if (m.kind === 'dm') return prev; // nobody joins or leaves a DM
      if (m.members.includes(who.id) === (op.kind === 'join')) return prev; // already in, or not in
      m.members = op.kind === 'join' ? [...m.members, who.id] : m.members.filter((u) => u !== who.id);
      const last = m.messages.at(-1);
      if (op.kind === 'join') m.events.push({ eventId: id(), type: 'room.joined', user: who, room: roomOf(m), lastMessageId: last?.id ?? null, lastActivityAt: time(t) });
      else m.events.push({ eventId: id(), type: 'room.left', user: who, memberCount: m.members.length });
      // The others' name for a group changes with its members: a leave also writes room.updated.
      if (op.kind === 'leave' && m.kind === 'group') m.events.push({ eventId: id(), type: 'room.updated', room: roomOf(m) });
      return m;
    }
    case 'rename': {
      if (m.kind !== 'channel') return prev; // BAD_REQUEST: a DM or group is named by its members
      if (m.name === NAMES[op.name] && m.topic === TOPICS[op.topic]) return prev; // nothing changes: no event
      Object.assign(m, { name: NAMES[op.name]!, topic: TOPICS[op.topic]! });
      m.events.push({ eventId: id(), type: 'room.updated', room: roomOf(m) });
      return m;
    }
    case 'send': {
      const original = op.replyTo === null || !m.messages.length ? undefined : m.messages[m.messages.length - 1 - (op.replyTo % Math.min(4, m.messages.length))]!;
      if (original?.deleted) return prev; // BAD_REQUEST: a deleted message cannot be answered
      const text = textOf(op);
      const messageId = id();
      m.messages.push({ id: messageId, author: USERS[op.by]!, text, createdAt: time(t), editedAt: null, deleted: null, replyTo: original?.id ?? null, mentions: mentionsIn(text, m.members), reactions: [], emojiOrder: [], preview: null });
      m.events.push({ eventId: id(), type: 'message.created', messageId });
      changedMentions();
      return m;
    }
    case 'edit': {
      const text = textOf(op);
      // Refused (another's message, a deleted one) or the same text: nothing happens.
      if (!target || target.author.id !== USERS[op.by]!.id || target.deleted || target.text === text) return prev;
      // The texts have no link, so the edit drops any preview (it stays only for the same first link).
      Object.assign(target, { text, mentions: mentionsIn(text, m.members), editedAt: time(t), preview: null });
      m.events.push({ eventId: id(), type: 'message.edited', messageId: target.id });
      changedMentions();
      return m;
    }
    case 'delete': {
      if (!target || target.author.id !== USERS[op.by]!.id || target.deleted) return prev;
      const deleted = { at: time(t), by: 'author' as const };
      Object.assign(target, { text: '', mentions: [], reactions: [], emojiOrder: [], deleted, preview: null });
      m.events.push({ eventId: id(), type: 'message.deleted', messageId: target.id, deleted });
      changedMentions();
      return m;
    }
    case 'react': {
      if (!target || target.deleted) return prev;
      const by = USERS[op.by]!;
      const emoji = EMOJI[op.emoji]!;
      const has = target.reactions.some((r) => r.emoji === emoji && r.user.id === by.id);
      if (has === op.on) return prev;
      const seq = ++m.seq;
      target.reactions = op.on ? [...target.reactions, { emoji, user: by, seq }] : target.reactions.filter((r) => !(r.emoji === emoji && r.user.id === by.id));
      const reactors = reactorsOf(target, emoji);
      const held = target.emojiOrder.find((e) => e.emoji === emoji);
      const order = held?.order ?? String(seq);
      if (!held) target.emojiOrder.push({ emoji, order });
      if (!reactors.length) target.emojiOrder = target.emojiOrder.filter((e) => e.emoji !== emoji);
      m.events.push({ eventId: id(), type: 'reaction.changed', messageId: target.id, emoji, count: reactors.length, users: reactors.map((r) => r.user), user: by, on: op.on, order });
      return m;
    }
    case 'preview': {
      // A fetch finished: stored unless deleted or this link already has a card or a removal (message-preview.ts).
      const card = CARDS[op.card]!;
      if (!target || target.deleted || target.preview?.url === card.url) return prev;
      target.preview = { url: card.url, card };
      m.events.push({ eventId: id(), type: 'message.preview', messageId: target.id });
      return m;
    }
    case 'unpreview': {
      // The author only; a card to remove (the texts have no link to mark without one).
      if (!target || target.author.id !== USERS[op.by]!.id || target.deleted || !target.preview?.card) return prev;
      target.preview = { url: target.preview.url, card: null };
      m.events.push({ eventId: id(), type: 'message.preview', messageId: target.id });
      return m;
    }
    case 'read': {
      // Read positions only move forward; not moving writes no event.
      if (!target || (m.lastRead !== null && Number(target.id) <= Number(m.lastRead))) return prev;
      m.lastRead = target.id;
      m.events.push({ eventId: id(), type: 'read.updated', messageId: target.id, unread: unreadOf(m).length, mentions: mentionCount(m) });
      return m;
    }
  }
}

/** The message as the server renders it for the viewer now (history with reactions; events without). */
function render(model: Model, m: ModelMessage, withReactions: boolean): ChatMessage {
  const base: ChatMessage = { id: m.id, text: m.text, createdAt: m.createdAt, author: withAvatar(model, m.author), clientMessageId: null, ...(m.editedAt ? { editedAt: m.editedAt } : {}) };
  if (m.deleted) return { ...base, text: '', deleted: m.deleted };
  const original = m.replyTo ? model.messages.find((x) => x.id === m.replyTo) : undefined;
  if (original) base.replyTo = { id: original.id, author: original.author, excerpt: original.deleted ? '' : quoteExcerpt(original.text), deleted: !!original.deleted };
  if (m.mentions.length) base.mentions = m.mentions;
  if (m.preview?.card) base.preview = m.preview.card;
  if (withReactions && m.emojiOrder.length) {
    base.reactions = m.emojiOrder.map(({ emoji: e, order }): Reaction => ({ emoji: e, count: reactorsOf(m, e).length, users: reactorsOf(m, e).map((r) => r.user), me: reactorsOf(m, e).some((r) => r.user.id === ME.id), order }));
  }
  return base;
}

function renderEvent(model: Model, e: Stored): ChatEvent {
  const message = (messageId: string) => {
    const { reactions: _none, ...rest } = render(model, model.messages.find((x) => x.id === messageId)!, false);
    return { ...rest, roomId: ROOM_ID };
  };
  switch (e.type) {
    case 'message.created':
    case 'message.edited':
      return { type: e.type, eventId: e.eventId, roomId: ROOM_ID, message: message(e.messageId) };
    case 'message.preview':
      // The preview as it is when the event is read (stored-event.ts renders it from the message).
      return { type: e.type, eventId: e.eventId, roomId: ROOM_ID, messageId: e.messageId, preview: model.messages.find((x) => x.id === e.messageId)!.preview?.card ?? null };
    case 'room.joined':
    case 'room.left':
      return { ...e, roomId: ROOM_ID, by: null };
    default:
      return { ...e, roomId: ROOM_ID };
  }
}

/** room.list's row and the newest `limit` messages of history. */
function snapshotPart(model: Model, limit: number) {
  const last = model.messages.at(-1);
  const row: RoomListItem = {
    ...roomOf(model),
    unread: unreadOf(model).length,
    mentions: mentionCount(model),
    lastReadMessageId: model.lastRead,
    lastMessageId: last?.id ?? null,
    lastActivityAt: last?.createdAt ?? time(0),
  };
  return { row, messages: model.messages.slice(-limit).map((m) => render(model, m, true)), complete: limit >= model.messages.length, members: [...model.members] };
}

const cursorAt = (model: Model) => model.events.at(-1)?.eventId ?? '0';

/** The room list, and each held message as a fresh history shows it now (reactions in their order, with it). */
function comparable(state: RoomState) {
  return { list: roomList(state), messages: state.rooms[ROOM_ID]!.messages };
}

interface Scenario {
  ops: Op[];
  cursorAt: number;
  readDelay: number;
  limit: number;
  renderDelays: number[];
  /** Resume: the stream drops after this many events and is resumed from the fold's cursor (none: it never drops). */
  dropAfter?: number;
  /** The room's kind (none: a channel). */
  kind?: RoomKindModel;
}

type MessageEvent = Extract<ChatEvent, { type: 'message.edited' | 'message.deleted' | 'reaction.changed' | 'message.preview' | 'user.updated' }>;
const isChange = (e: ChatEvent): e is MessageEvent =>
  e.type === 'message.edited' || e.type === 'message.deleted' || e.type === 'reaction.changed' || e.type === 'message.preview' || e.type === 'user.updated';

/**
 * Runs the ops on the model, takes a snapshot at some point after the cursor and folds the events
 * after the cursor into it three ways: the room state with history (full or partial), the room
 * list only (the web's sidebar) and the paged timeline (the web's open room). With `dropAfter`, the
 * stream ends after that many events and a new one resumes from the fold's cursor, its events
 * rendered as a replay renders them (at the moment it reads them).
 */
function replay({ ops, cursorAt: c, readDelay, limit, renderDelays, dropAfter, kind = 'channel' }: Scenario) {
  const members = kind === 'dm' ? [ME.id, USERS[1]!.id] : USERS.map((u) => u.id);
  const states: Model[] = [{ kind, messages: [], members, name: NAMES[0]!, topic: null, lastRead: null, events: [], seq: 0, avatars: {}, profiles: {} }];
  for (const [i, op] of ops.entries()) states.push(step(states[i]!, op, i + 1));
  const n = ops.length;
  const k = c % (n + 1);
  const s = k + (readDelay % (n - k + 1));
  const final = states[n]!;
  const cursor = cursorAt(states[k]!);
  const part = snapshotPart(states[s]!, limit);

  let state = fromSnapshot(ME.id, cursor, [part]);
  let list = fromRoomList(ME.id, cursor, [part.row]);
  const live: ChatMessage[] = [];
  const changes: MessageChange[] = [];
  const deliver = (event: ChatEvent) => {
    state = applyEvent(state, event);
    list = applyEvent(list, event);
    if (event.type === 'message.created') live.push(event.message);
    if (isChange(event)) changes.push(event);
  };
  const after = (from: string) => final.events.filter((e) => compareIds(e.eventId, from) > 0);
  // Each event is rendered at some moment after it happened, never before the previous one was.
  let renderedAt = 0;
  for (const [i, stored] of after(cursor).entries()) {
    if (dropAfter !== undefined && i >= dropAfter) break;
    const happened = states.findIndex((m) => m.events.some((e) => e.eventId === stored.eventId));
    renderedAt = Math.min(n, Math.max(renderedAt, happened + (renderDelays[i] ?? 0)));
    deliver(renderEvent(states[renderedAt]!, stored));
  }
  if (dropAfter !== undefined) {
    // The resumed stream: chat.onEvent({ lastEventId: cursor }) replays what came after it, read now.
    expect(list.cursor).toBe(state.cursor);
    for (const stored of after(state.cursor!)) deliver(renderEvent(final, stored));
  }
  const timeline = foldTimeline({ pages: [part.messages], complete: part.complete, live, changes }, ME.id);
  return { state, list, timeline, fresh: fromSnapshot(ME.id, cursorAt(final), [snapshotPart(final, final.messages.length)]), cursor: cursorAt(final) };
}

/** A paged list holds the newest messages from some point on: compare it with the fresh history from there. */
const from = (held: readonly ChatMessage[], all: readonly ChatMessage[]) => all.filter((m) => held[0] !== undefined && compareIds(m.id, held[0].id) >= 0);

function expectSame({ state, list, timeline, fresh, cursor }: ReturnType<typeof replay>) {
  const freshMessages = comparable(fresh).messages;
  expect(comparable(state).list).toEqual(comparable(fresh).list);
  expect(comparable(state).messages).toEqual(from(comparable(state).messages, freshMessages));
  expect(state.cursor).toBe(cursor);
  // The web's sidebar: the same list from rows and events alone.
  expect(roomList(list)).toEqual(roomList(fresh));
  expect(list.cursor).toBe(cursor);
  // The web's open room.
  expect(timeline).toEqual(from(timeline, freshMessages));
}

const KIND = fc.constantFrom<RoomKindModel>('channel', 'dm', 'group');
const send = (by: number): Op => ({ kind: 'send', by, text: 0, mentions: [], replyTo: null });
const react = (by: number, emoji: number, on: boolean): Op => ({ kind: 'react', by, msg: 0, emoji, on });

describe('room state against a model of the server', () => {
  it('a snapshot read after its cursor plus the events after the cursor equals a fresh snapshot', () => {
    const scenario: fc.Arbitrary<Scenario> = fc.record({
      ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
      cursorAt: fc.nat(),
      readDelay: fc.nat(),
      limit: fc.integer({ min: 1, max: 45 }),
      renderDelays: fc.array(fc.nat({ max: 6 }), { maxLength: 60 }),
      kind: KIND,
    });
    fc.assert(
      fc.property(scenario, (s) => expectSame(replay(s))),
      { numRuns: Number(process.env.ROOM_STATE_RUNS ?? 300) },
    );
  });

  it('a stream that drops and resumes from the fold’s cursor ends where a fresh snapshot is', () => {
    const scenario: fc.Arbitrary<Scenario> = fc.record({
      ops: fc.array(opArb, { minLength: 1, maxLength: 40 }),
      cursorAt: fc.nat(),
      readDelay: fc.nat(),
      limit: fc.integer({ min: 1, max: 45 }),
      renderDelays: fc.array(fc.nat({ max: 6 }), { maxLength: 60 }),
      dropAfter: fc.nat({ max: 40 }),
      kind: KIND,
    });
    fc.assert(
      fc.property(scenario, (s) => expectSame(replay(s))),
      { numRuns: Number(process.env.ROOM_STATE_RUNS ?? 300) },
    );
  });

  it('keeps an emoji in its place while any reaction with it remains, as the server does (decision 100)', () => {
    // ann 👍, bob ❤️, me 👍, ann takes 👍 back: 👍 stays first.
    expectSame(replay({ ops: [send(0), react(1, 0, true), react(2, 1, true), react(0, 0, true), react(1, 0, false)], cursorAt: 0, readDelay: 0, limit: 5, renderDelays: [] }));
  });

  // "A new emoji goes last" put 🎉 after 👍 here; the order key each event carries puts it back.
  it('keeps the reaction order when an old removal is replayed onto a newer snapshot', () => {
    // 🎉 on, off, on again, then 👍: a snapshot read at the end from a cursor before the removal.
    const ops = [send(0), react(0, 2, true), react(0, 2, false), react(0, 2, true), react(0, 0, true)];
    expectSame(replay({ ops, cursorAt: 2, readDelay: 3, limit: 5, renderDelays: [] }));
  });

  it('a preview removed by its author stays removed when its old arrival is replayed (message.preview)', () => {
    const ops: Op[] = [send(0), { kind: 'preview', msg: 0, card: 1 }, { kind: 'unpreview', by: 0, msg: 0 }, { kind: 'preview', msg: 0, card: 1 }];
    expectSame(replay({ ops, cursorAt: 1, readDelay: 3, limit: 5, renderDelays: [] }));
    // Without the removal's fold the card would be back: the fresh snapshot has none.
    const { state } = replay({ ops, cursorAt: 0, readDelay: 0, limit: 5, renderDelays: [] });
    expect(state.rooms[ROOM_ID]!.messages[0]!.preview).toBeUndefined();
  });

  it('an author who left and changed their avatar twice shows the last one (user.updated)', () => {
    const ops: Op[] = [send(1), { kind: 'leave', by: 1 }, { kind: 'avatar', by: 1, avatar: 1 }, { kind: 'avatar', by: 1, avatar: 2 }, { kind: 'avatar', by: 1, avatar: 0 }, { kind: 'avatar', by: 1, avatar: 2 }];
    expectSame(replay({ ops, cursorAt: 2, readDelay: 0, limit: 5, renderDelays: [] }));
    const { state } = replay({ ops, cursorAt: 0, readDelay: 0, limit: 5, renderDelays: [] });
    expect(state.rooms[ROOM_ID]!.messages[0]!.author).toEqual({ id: 'u1', username: 'ann', avatar: 'a2' });
  });

  it('a DM peer and a group member who rename themselves are shown by the new name in the room list (user.updated)', () => {
    const ops: Op[] = [send(1), { kind: 'profile', by: 1, name: 1, status: 0 }, { kind: 'avatar', by: 2, avatar: 1 }, { kind: 'profile', by: 1, name: 2, status: 1 }];
    for (const kind of ['dm', 'group'] as const) {
      expectSame(replay({ ops, cursorAt: 0, readDelay: 0, limit: 5, renderDelays: [], kind }));
      const { list } = replay({ ops, cursorAt: 0, readDelay: 0, limit: 5, renderDelays: [], kind });
      const [row] = roomList(list);
      const ann = { id: 'u1', username: 'ann', displayName: 'Zed' };
      if (kind === 'dm') expect(row!.peer).toEqual(ann);
      else expect(row!.group!.members).toEqual([ann, { id: 'u2', username: 'bob', avatar: 'a1' }, ME]);
    }
  });
});
