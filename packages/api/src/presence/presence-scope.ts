import type { RoomMembersRecord } from '@chat/db';
import type { StoredEvent } from '../events/stored-event';
import type { OnlineUser } from './presence';
import { idAfter } from '../schemas/ids';

/** Rooms' member counts and, for those of at most `smallLimit` members, their members, as of `eventId`. */
export type LoadRoomMembers = (roomIds: string[], smallLimit: number) => Promise<{ eventId: string; rooms: RoomMembersRecord[] }>;

/** Default PRESENCE_ROOM_MEMBER_LIMIT: a room this size or smaller shares its members' presence. */
export const DEFAULT_PRESENCE_ROOM_MEMBER_LIMIT = 100;

export interface PresenceScopeOptions {
  /** Rooms of at most this many members are "small": their members see each other's presence. */
  limit: number;
  load: LoadRoomMembers;
  /** This instance's presence view: the user when online. */
  online: (userId: string) => OnlineUser | undefined;
  /** Whether the user has a stream on this instance (only they are told anything). */
  hasStreams: (userId: string) => boolean;
  /** Whether a stream on this instance is in the room (a failed read is retried only then). */
  inUse: (roomId: string) => boolean;
  /** Tells the viewer's streams that `user` came into (true) or went out of (false) their online list. */
  tell: (viewerId: string, user: OnlineUser, online: boolean) => void;
  onError: (error: unknown) => void;
  retryMs?: number;
}

interface CachedRoom {
  /** Members as of `asOf`. */
  count: number;
  /** Small rooms only, once read. */
  members: Set<string> | null;
  /** Membership events up to this id are reflected. */
  asOf: string;
  /** While a read is in flight: the membership events that passed meanwhile, and the read's end. */
  loading: { events: StoredEvent[]; done: Promise<void> } | null;
}

/**
 * Who sees whose presence on chat.onEvent (docs/decisions/121-presence-by-shared-rooms.md): a
 * viewer sees themselves and the members of the small rooms they are in. Keeps, for the rooms of
 * this instance's streams, each room's member count and a small room's members, plus user → small
 * rooms; read once per room, then kept current from room.joined / room.left in feed order. A
 * presence change costs the size of its user's small rooms; a change of scope (a join, a leave, a
 * room growing past the limit) tells the pairs it affects, so what a stream was told stays exactly
 * "online and in scope".
 */
export function createPresenceScope(opts: PresenceScopeOptions) {
  const { limit } = opts;
  const rooms = new Map<string, CachedRoom>();
  const smallRoomsOf = new Map<string, Set<string>>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const shares = (a: string, b: string) => {
    const ra = smallRoomsOf.get(a);
    const rb = smallRoomsOf.get(b);
    if (!ra || !rb) return false;
    const [few, many] = ra.size <= rb.size ? [ra, rb] : [rb, ra];
    for (const roomId of few) if (many.has(roomId)) return true;
    return false;
  };

  /** `viewer` has just come to see `subject` (or stopped): told only when the viewer is here and the subject online. */
  const tellIf = (viewer: string, subject: string, visible: boolean) => {
    if (!opts.hasStreams(viewer)) return;
    const user = opts.online(subject);
    if (user) opts.tell(viewer, user, visible);
  };

  /** A small room's members become known: the pairs it newly joins see each other. */
  const setMembers = (roomId: string, room: CachedRoom, memberIds: readonly string[]) => {
    for (const a of memberIds) {
      if (!opts.hasStreams(a)) continue;
      for (const b of memberIds) if (a !== b && !shares(a, b)) tellIf(a, b, true);
    }
    room.members = new Set(memberIds);
    for (const id of memberIds) {
      let set = smallRoomsOf.get(id);
      if (!set) smallRoomsOf.set(id, (set = new Set()));
      set.add(roomId);
    }
  };

  /** The room stops counting as small (it grew past the limit, or this instance lets it go). */
  const unsetMembers = (roomId: string, room: CachedRoom) => {
    const members = room.members;
    if (!members) return;
    room.members = null;
    for (const id of members) {
      const set = smallRoomsOf.get(id);
      if (set?.delete(roomId) && set.size === 0) smallRoomsOf.delete(id);
    }
    for (const a of members) {
      if (!opts.hasStreams(a)) continue;
      for (const b of members) if (a !== b && !shares(a, b)) tellIf(a, b, false);
    }
  };

  const addMember = (roomId: string, room: CachedRoom, userId: string) => {
    const members = room.members!;
    if (members.has(userId)) return;
    for (const m of members) {
      if (shares(userId, m)) continue;
      tellIf(userId, m, true);
      tellIf(m, userId, true);
    }
    members.add(userId);
    let set = smallRoomsOf.get(userId);
    if (!set) smallRoomsOf.set(userId, (set = new Set()));
    set.add(roomId);
  };

  const removeMember = (roomId: string, room: CachedRoom, userId: string) => {
    const members = room.members!;
    if (!members.delete(userId)) return;
    const set = smallRoomsOf.get(userId);
    if (set?.delete(roomId) && set.size === 0) smallRoomsOf.delete(userId);
    for (const m of members) {
      if (shares(userId, m)) continue;
      tellIf(userId, m, false);
      tellIf(m, userId, false);
    }
  };

  /** Both payloads carry the room's member count right after the change. */
  const countAfter = (event: StoredEvent): number | undefined => {
    const p = event.payload ?? {};
    const n = event.type === 'room.joined' ? (p.room as { memberCount?: unknown } | undefined)?.memberCount : p.memberCount;
    return typeof n === 'number' ? n : undefined;
  };

  const applyLoaded = (roomId: string, room: CachedRoom, event: StoredEvent) => {
    if (!idAfter(event.id, room.asOf) || event.userId === null) return;
    room.asOf = event.id;
    const joined = event.type === 'room.joined';
    room.count = countAfter(event) ?? room.count + (joined ? 1 : -1);
    if (room.members) {
      if (room.count > limit) unsetMembers(roomId, room);
      else if (joined) addMember(roomId, room, event.userId);
      else removeMember(roomId, room, event.userId);
    } else if (room.count <= limit) {
      // Shrunk back to small: its members must be read (events from here on are kept meanwhile).
      read([roomId]);
    }
  };

  const retry = (roomIds: string[]) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) want(roomIds.filter(opts.inUse));
    }, opts.retryMs ?? 1000);
    timer.unref();
    timers.add(timer);
  };

  /** Reads `roomIds` (already in the cache, contributing nothing); events that pass meanwhile are applied after. */
  const read = (roomIds: string[]) => {
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const batch = roomIds.map((id) => {
      const room = rooms.get(id)!;
      room.loading = { events: [], done };
      return [id, room] as const;
    });
    // Still ours: not dropped, nor read again, since this read began.
    const current = (id: string, room: CachedRoom) => rooms.get(id) === room && room.loading?.done === done;
    opts
      .load(roomIds, limit)
      .then(
        (result) => {
          if (closed) return;
          const rows = new Map(result.rooms.map((r) => [r.id, r]));
          const at = result.eventId;
          for (const [id, room] of batch) {
            if (!current(id, room)) continue;
            const seen = room.loading!.events;
            room.loading = null;
            room.asOf = at;
            const row = rows.get(id);
            room.count = row?.memberCount ?? 0;
            const memberIds = row ? row.memberIds : [];
            if (memberIds && room.count <= limit) setMembers(id, room, memberIds);
            for (const event of seen) applyLoaded(id, room, event);
          }
        },
        (error: unknown) => {
          if (closed) return;
          opts.onError(error);
          const failed = batch.filter(([id, room]) => current(id, room)).map(([id]) => id);
          for (const id of failed) rooms.delete(id);
          if (failed.length) retry(failed);
        },
      )
      .finally(settle);
  };

  /** Caches the rooms not cached yet (one read for all of them). */
  const want = (roomIds: Iterable<string>) => {
    const fresh: string[] = [];
    for (const id of roomIds) {
      if (rooms.has(id)) continue;
      rooms.set(id, { count: 0, members: null, asOf: '0', loading: null });
      fresh.push(id);
    }
    if (fresh.length) read(fresh);
  };

  return {
    want,

    /** No stream here is in the room any more: forget it (what it showed this instance's viewers is taken back). */
    release(roomId: string) {
      const room = rooms.get(roomId);
      if (!room) return;
      unsetMembers(roomId, room);
      rooms.delete(roomId);
    },

    /** A room.joined or room.left, in feed order. */
    apply(event: StoredEvent) {
      if (event.type !== 'room.joined' && event.type !== 'room.left') return;
      const room = rooms.get(event.roomId);
      if (!room) return;
      if (room.loading) room.loading.events.push(event);
      else applyLoaded(event.roomId, room, event);
    },

    /** Resolves once the rooms being read among `roomIds` are read (or failed: a retry tells the rest later). */
    async loaded(roomIds: Iterable<string>) {
      const reads = new Set<Promise<void>>();
      for (const id of roomIds) {
        const done = rooms.get(id)?.loading?.done;
        if (done) reads.add(done);
      }
      await Promise.all(reads);
    },

    /** Who `userId` sees online now: themselves and the online members of their small rooms. */
    visibleOnline(userId: string): OnlineUser[] {
      const seen = new Map<string, OnlineUser>();
      const self = opts.online(userId);
      if (self) seen.set(userId, self);
      for (const roomId of smallRoomsOf.get(userId) ?? []) {
        for (const id of rooms.get(roomId)!.members!) {
          if (seen.has(id)) continue;
          const user = opts.online(id);
          if (user) seen.set(id, user);
        }
      }
      return [...seen.values()];
    },

    /** `user` came online or went offline: tell them and everyone sharing a small room with them. */
    changed(user: OnlineUser, online: boolean) {
      const viewers = new Set<string>([user.id]);
      for (const roomId of smallRoomsOf.get(user.id) ?? []) for (const id of rooms.get(roomId)!.members!) viewers.add(id);
      for (const viewer of viewers) if (opts.hasStreams(viewer)) opts.tell(viewer, user, online);
    },

    /** For tests and metrics: rooms cached, and how many of them are small. */
    size: () => ({ rooms: rooms.size, small: [...rooms.values()].filter((r) => r.members).length }),

    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
export type PresenceScope = ReturnType<typeof createPresenceScope>;
