import { fromRoomList, fromSnapshot, roomList, type RoomSnapshotPart, type RoomState } from '@chat/client/core';
import type { Trpc } from './test-client';

// The snapshot protocol as the client core runs it, for tests that compare a folded state with a fresh one
// (rooms.invariant, event-retention).

/** A room's whole history, page by page. */
export async function allHistory(trpc: Trpc, roomId: string) {
  const messages = [];
  let before: string | undefined;
  for (;;) {
    const page = await trpc.chat.history.query({ roomId, limit: 100, ...(before ? { before } : {}) });
    messages.push(...page.messages);
    if (!page.nextBefore) return messages;
    before = page.nextBefore;
  }
}

/** One room as the snapshot loads it: its whole history and its members. */
export async function roomPart(trpc: Trpc, row: RoomSnapshotPart['row']): Promise<RoomSnapshotPart> {
  const [messages, members] = await Promise.all([allHistory(trpc, row.id), trpc.room.members.query({ roomId: row.id })]);
  return { row, messages, complete: true, members: members.map((m) => m.id) };
}

/** The same snapshot for both folds: with histories and members, and the web's list-only one from the same rows. */
export async function takeSnapshots(trpc: Trpc, meId: string, cursor?: string) {
  const at = cursor ?? (await trpc.chat.eventCursor.query()).cursor;
  const rows = await trpc.room.list.query();
  return { state: fromSnapshot(meId, at, await Promise.all(rows.map((row) => roomPart(trpc, row)))), list: fromRoomList(meId, at, rows) };
}

/** The snapshot protocol: the cursor first, then everything it covers (or more, which applying then repeats harmlessly). */
export async function takeSnapshot(trpc: Trpc, meId: string, cursor?: string) {
  return (await takeSnapshots(trpc, meId, cursor)).state;
}

export const byId = (list: ReturnType<typeof roomList>) => list.sort((x, y) => x.id.localeCompare(y.id));

/**
 * What is compared: the room list as room.list gives it (unread and mention counts included), each
 * room's messages in full (edits, placeholders, quotes, mentions, reactions with `me`) and members.
 * Reactions are compared in order, with it: each carries the server's order key, so an old removal
 * replayed onto a newer state (a room loaded after its events were held) still ends in the server's order.
 */
export function comparable(state: RoomState) {
  return {
    rooms: byId(roomList(state)),
    messages: Object.fromEntries(Object.entries(state.rooms).map(([id, e]) => [id, e.messages])),
    members: Object.fromEntries(Object.entries(state.rooms).map(([id, e]) => [id, e.members])),
  };
}
