import type { ChatEvent, Reaction, RoomMessage, ThreadListItem, ThreadPage, UserRef } from '@chat/api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ME, time, userArb as user, USERS } from './event-model.test-helpers';
import { compareIds } from './ids';
import { applyThreadEvent, applyThreadListEvent, fromThreadList, fromThreadPages, threadList, threadPage, withOlderThreadPage } from './thread-state';

// "Applying equals fetching" for threads (docs/decisions/145-threads.md), against a model of the
// server written from the contract: roots, replies (thread-only or also sent to the room, naming the
// viewer or not), edits, deletes (of replies and roots), reactions, follows, unfollows and read marks
// by three users. A thread.list and a thread.history read after any cursor, plus the events after it
// (rendered as a replay renders them: messages as they are at the end), equal a fresh read.

const ROOM = 'r';

interface Msg {
  id: string;
  author: UserRef;
  text: string;
  createdAt: string;
  editedAt: string | null;
  deleted: { at: string; by: 'author' } | null;
  rootId: string | null;
  inRoom: boolean;
  namesMe: boolean;
  reactions: { emoji: string; user: UserRef; seq: number }[];
}
interface Follow {
  following: boolean;
  lastRead: string | null;
}
interface Model {
  messages: Msg[];
  follows: Record<string, Follow>;
  /** Each event with how to render it at the end (messages as they are then). */
  events: ((m: Model) => ChatEvent)[];
  seq: number;
  /** thread.updated carries the counters at its time. */
}

type Op =
  | { kind: 'root'; by: number }
  | { kind: 'reply'; by: number; root: number; inRoom: boolean; namesMe: boolean }
  | { kind: 'edit'; msg: number; namesMe: boolean }
  | { kind: 'delete'; msg: number; root: boolean }
  | { kind: 'react'; by: number; msg: number; on: boolean }
  | { kind: 'follow' | 'unfollow' | 'read'; root: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('root' as const), by: user }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('reply' as const), by: user, root: fc.nat(), inRoom: fc.boolean(), namesMe: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), msg: fc.nat(), namesMe: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), msg: fc.nat(), root: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('react' as const), by: user, msg: fc.nat(), on: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('follow' as const, 'unfollow' as const, 'read' as const), root: fc.nat() }) },
);

// ---- the model server ------------------------------------------------------------------------------

const roots = (m: Model) => m.messages.filter((x) => x.rootId === null);
const repliesOf = (m: Model, rootId: string) => m.messages.filter((x) => x.rootId === rootId);
const byId = (m: Model, id: string) => m.messages.find((x) => x.id === id)!;

function summary(m: Model, root: Msg) {
  const replies = repliesOf(m, root.id);
  if (replies.length === 0) return undefined;
  const repliers: UserRef[] = [];
  for (const r of [...replies].reverse()) if (!repliers.some((u) => u.id === r.author.id) && repliers.length < 3) repliers.push(r.author);
  return { replyCount: replies.length, lastReplyAt: replies.at(-1)!.createdAt, repliers };
}

function reactionsOf(x: Msg): Reaction[] {
  const emoji = [...new Set(x.reactions.map((r) => r.emoji))];
  return emoji.map((e) => {
    const rs = x.reactions.filter((r) => r.emoji === e).sort((a, b) => a.seq - b.seq);
    return { emoji: e, count: rs.length, users: rs.map((r) => r.user), me: rs.some((r) => r.user.id === ME.id), order: String(rs[0]!.seq) };
  });
}

/** A message as the server renders it now; with reactions only where the read has them. */
function render(m: Model, x: Msg, withReactions: boolean): RoomMessage {
  const out: RoomMessage = { id: x.id, text: x.text, createdAt: x.createdAt, author: x.author, clientMessageId: null, roomId: ROOM };
  if (x.editedAt) out.editedAt = x.editedAt;
  if (x.rootId) {
    out.threadRootId = x.rootId;
    if (x.inRoom) out.alsoInRoom = true;
  }
  const s = x.rootId === null ? summary(m, x) : undefined;
  if (s) out.thread = s;
  if (x.deleted) return { ...out, deleted: x.deleted };
  if (x.namesMe) out.mentions = [ME];
  const reactions = reactionsOf(x);
  if (withReactions && reactions.length) out.reactions = reactions;
  return out;
}

function counts(m: Model, rootId: string) {
  const f = m.follows[rootId]!;
  const unread = repliesOf(m, rootId).filter((x) => x.author.id !== ME.id && (f.lastRead === null || compareIds(x.id, f.lastRead) > 0));
  return { unread: unread.length, mentions: unread.filter((x) => !x.deleted && x.namesMe).length, lastReplyId: repliesOf(m, rootId).at(-1)?.id ?? null };
}

/** thread.read for the viewer, its counts at its time, its root as rendered at the end. */
function readEvent(m: Model, rootId: string) {
  const eventId = String(++m.seq);
  const f = { ...m.follows[rootId]! };
  const c = counts(m, rootId);
  m.events.push((end) => ({
    type: 'thread.read',
    eventId,
    roomId: ROOM,
    rootId,
    root: render(end, byId(end, rootId), false),
    following: f.following,
    lastReadMessageId: f.lastRead,
    lastReplyId: c.lastReplyId,
    unread: c.unread,
    mentions: c.mentions,
  }));
}

/** An event about message `x`: the room's kind, or thread.message for a thread-only reply. */
function aboutMessage(m: Model, x: Msg, make: (eventId: string) => (end: Model) => ChatEvent) {
  const eventId = String(++m.seq);
  const inner = make(eventId);
  m.events.push(x.rootId !== null && !x.inRoom ? (end) => ({ type: 'thread.message', eventId, roomId: ROOM, rootId: x.rootId!, event: inner(end) as never }) : inner);
}

function step(prev: Model, op: Op, t: number): Model {
  const m: Model = structuredClone({ ...prev, events: [] }) as Model;
  m.events = [...prev.events];
  const pick = <T>(list: T[], n: number) => (list.length ? list[list.length - 1 - (n % Math.min(4, list.length))] : undefined);
  switch (op.kind) {
    case 'root': {
      const x: Msg = { id: String(++m.seq), author: USERS[op.by]!, text: `root ${t}`, createdAt: time(t), editedAt: null, deleted: null, rootId: null, inRoom: true, namesMe: false, reactions: [] };
      m.messages.push(x);
      const eventId = x.id;
      m.events.push((end) => ({ type: 'message.created', eventId, roomId: ROOM, message: render(end, byId(end, x.id), false) }));
      return m;
    }
    case 'reply': {
      const root = pick(roots(m), op.root);
      if (!root || (root.deleted && repliesOf(m, root.id).length === 0)) return prev;
      const by = USERS[op.by]!;
      const names = op.namesMe && by.id !== ME.id;
      // The reply's id is its event's (the model numbers both from one sequence).
      const x: Msg = { id: String(m.seq + 1), author: by, text: `reply ${t}`, createdAt: time(t), editedAt: null, deleted: null, rootId: root.id, inRoom: op.inRoom, namesMe: names, reactions: [] };
      m.messages.push(x);
      aboutMessage(m, x, (eventId) => (end) => ({ type: 'message.created', eventId, roomId: ROOM, message: render(end, byId(end, x.id), false) }));
      const s = summary(m, root)!;
      const updatedId = String(++m.seq);
      m.events.push(() => ({ type: 'thread.updated', eventId: updatedId, roomId: ROOM, rootId: root.id, thread: s }));
      const had = m.follows[root.id];
      let tell = false;
      if (root.author.id === ME.id && !had) {
        m.follows[root.id] = { following: true, lastRead: null };
        tell = true;
      }
      if (by.id === ME.id) {
        const f = m.follows[root.id] ?? { following: true, lastRead: null };
        m.follows[root.id] = { following: true, lastRead: f.lastRead === null || compareIds(x.id, f.lastRead) > 0 ? x.id : f.lastRead };
        tell = true;
      }
      if (names) {
        m.follows[root.id] = { following: true, lastRead: m.follows[root.id]?.lastRead ?? null };
        tell = true;
      }
      if (tell) readEvent(m, root.id);
      return m;
    }
    case 'edit':
    case 'delete': {
      const x = op.kind === 'delete' && op.root ? pick(roots(m), op.msg) : pick(m.messages.filter((y) => y.rootId !== null), op.msg);
      if (!x || x.deleted) return prev;
      const namedBefore = x.namesMe;
      if (op.kind === 'edit') {
        if (x.author.id === ME.id || x.namesMe === op.namesMe) return prev;
        x.namesMe = op.namesMe;
        x.text = `${x.text}!`;
        x.editedAt = time(t);
        aboutMessage(m, x, (eventId) => (end) => ({ type: 'message.edited', eventId, roomId: ROOM, message: render(end, byId(end, x.id), false) }));
      } else {
        x.deleted = { at: time(t), by: 'author' };
        x.text = '';
        x.namesMe = false;
        x.reactions = [];
        const deleted = x.deleted;
        aboutMessage(m, x, (eventId) => () => ({ type: 'message.deleted', eventId, roomId: ROOM, messageId: x.id, deleted }));
      }
      if (x.rootId !== null && namedBefore !== x.namesMe && m.follows[x.rootId]) readEvent(m, x.rootId);
      return m;
    }
    case 'react': {
      const x = pick(m.messages, op.msg);
      const by = USERS[op.by]!;
      if (!x || x.deleted) return prev;
      const has = x.reactions.some((r) => r.user.id === by.id);
      if (has === op.on) return prev;
      const seq = m.seq + 1;
      x.reactions = op.on ? [...x.reactions, { emoji: '👍', user: by, seq }] : x.reactions.filter((r) => r.user.id !== by.id);
      const state = reactionsOf(x)[0];
      aboutMessage(m, x, (eventId) => () => ({
        type: 'reaction.changed',
        eventId,
        roomId: ROOM,
        messageId: x.id,
        emoji: '👍',
        count: state?.count ?? 0,
        users: state?.users ?? [],
        user: by,
        on: op.on,
        order: state?.order ?? '0',
      }));
      return m;
    }
    case 'follow':
    case 'unfollow': {
      const root = pick(roots(m), op.root);
      if (!root) return prev;
      const following = op.kind === 'follow';
      const f = m.follows[root.id];
      if (f && f.following === following) return prev;
      m.follows[root.id] = { following, lastRead: f?.lastRead ?? null };
      readEvent(m, root.id);
      return m;
    }
    case 'read': {
      const root = pick(roots(m), op.root);
      const last = root && repliesOf(m, root.id).at(-1);
      if (!root || !last) return prev;
      const f = m.follows[root.id];
      if (f && f.lastRead !== null && compareIds(f.lastRead, last.id) >= 0) return prev;
      m.follows[root.id] = { following: f?.following ?? false, lastRead: last.id };
      readEvent(m, root.id);
      return m;
    }
  }
}

/** thread.list as the server answers it now. */
function list(m: Model): ThreadListItem[] {
  const rows = roots(m)
    .filter((r) => m.follows[r.id]?.following)
    .map((r) => {
      const c = counts(m, r.id);
      return { rootId: r.id, roomId: ROOM, root: render(m, r, false), lastReadMessageId: m.follows[r.id]!.lastRead, lastReplyId: c.lastReplyId, unread: c.unread, mentions: c.mentions };
    });
  const last = (t: ThreadListItem) => t.root.thread?.lastReplyAt ?? '';
  return rows.sort((a, b) => Number(b.unread > 0) - Number(a.unread > 0) || (last(a) < last(b) ? 1 : last(a) > last(b) ? -1 : 0) || compareIds(b.rootId, a.rootId));
}

/** thread.history of `rootId`, the newest `limit` replies. */
function history(m: Model, rootId: string, limit: number, before: string | null = null): ThreadPage {
  const replies = repliesOf(m, rootId)
    .map((x) => render(m, x, true))
    .filter((x) => before === null || compareIds(x.id, before) < 0);
  const page = replies.slice(Math.max(0, replies.length - limit));
  return { root: render(m, byId(m, rootId), true), replies: page, nextCursor: page.length < replies.length ? page[0]!.id : null };
}

const empty = (): Model => ({ messages: [], follows: {}, events: [], seq: 0 });

describe('threads: applying the events after a snapshot equals a fresh read', () => {
  it('for the followed-thread list and an open thread', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), fc.nat(), fc.nat({ max: 6 }), (ops, at, limit) => {
        const models = [empty()];
        ops.forEach((op, i) => models.push(step(models.at(-1)!, op, i + 1)));
        const end = models.at(-1)!;
        const snap = models[at % models.length]!;
        const cursor = snap.seq === 0 ? null : String(snap.seq);
        const events = end.events.map((render) => render(end)).filter((e) => 'eventId' in e && (cursor === null || compareIds(e.eventId, cursor) > 0));

        const listState = events.reduce(applyThreadListEvent, fromThreadList(ME.id, cursor, list(snap)));
        expect(threadList(listState)).toEqual(list(end));

        const root = roots(snap)[0];
        if (root) {
          const view = events.reduce(applyThreadEvent, fromThreadPages(ME.id, cursor, [history(snap, root.id, limit + 1)]));
          const fresh = history(end, root.id, 1000);
          const folded = threadPage(view);
          expect(folded.root).toEqual(fresh.root);
          // A partial page holds the newest replies: every reply from its oldest on.
          expect(folded.replies).toEqual(fresh.replies.filter((x) => folded.replies[0] !== undefined && compareIds(x.id, folded.replies[0].id) >= 0));
          if (view.complete) expect(folded.replies).toEqual(fresh.replies);
          // Loading older pages from the server as it is now ("Load older replies") reaches the whole thread.
          let whole = view;
          while (!whole.complete) whole = withOlderThreadPage(whole, history(end, root.id, limit + 1, threadPage(whole).nextCursor));
          expect(threadPage(whole).replies).toEqual(fresh.replies);
        }
      }),
      { numRuns: 400 },
    );
  });
});
