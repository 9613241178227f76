import { randomUUID } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { Room } from '../entities/room.entity';
import type { EventRecord, RoomKindRecord, RoomListRecord, RoomMemberRecord, RoomRecord, UserRefRecord } from '../records';
import { usernameSkeleton } from '../username-skeleton';
import { type EventRow, SELECT_INSERTED_EVENTS, toEventRecord } from './event-rows';
import { appendEvent, type Exec, execOn, lockedTransaction } from './locked';
import { UNREAD_MENTIONS } from './message-state';

/** #everyone: made by the migration; every account is a member from sign-up. */
export const EVERYONE_ROOM_ID = '00000000-0000-4000-8000-000000000001';
/** Unread counts stop here: counting further would read a whole room's history on every list. */
export const UNREAD_CAP = 1000;

interface RoomRow {
  id: string;
  kind: RoomKindRecord;
  name: string;
  topic: string | null;
  created_by: string | null;
  created_ms: number;
  member_count: number;
  dm_members: RoomMemberRecord[] | null;
  group_members: RoomMemberRecord[] | null;
}

/** A DM's or group's member as the room shows them: avatar and display name only when they have them (docs/decisions/155). */
const memberJson = (u: string) =>
  `json_strip_nulls(json_build_object('id', ${u}.id, 'username', ${u}.username, 'avatar', ${u}.avatar_key, 'displayName', ${u}.display_name))`;

// A DM's two members by primary key: dm_key is `uuid:uuid`, and comparing `users.id::text` instead read every
// user once per DM (40 ms a DM at 100,000 users; bench --scenario years, the user in the most DMs).
const ROOM_COLUMNS = `r.id, r.kind, r.name, r.topic, r.created_by_id as created_by, extract(epoch from r.created_at)::float8 * 1000 as created_ms, r.member_count,
  case when r.kind = 'dm' then (select json_agg(${memberJson('du')} order by du.id)
    from users du where du.id in (split_part(r.dm_key, ':', 1)::uuid, split_part(r.dm_key, ':', 2)::uuid)) end as dm_members,
  case when r.is_group then (select coalesce(json_agg(${memberJson('gu')} order by lower(gu.username) collate "C", gu.id), '[]')
    from room_members gm join users gu on gu.id = gm.user_id where gm.room_id = r.id and gm.left_event_id is null) end as group_members`;

const toRoom = (r: RoomRow): RoomRecord => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  topic: r.topic,
  createdBy: r.created_by,
  createdAt: new Date(Math.floor(r.created_ms)),
  memberCount: r.member_count,
  dmMembers: r.dm_members,
  groupMembers: r.group_members,
});

/**
 * Channel names share one namespace, by lower case and by skeleton (room names use the username
 * alphabet, so the username skeleton serves); private rooms and DMs stay out of it, so a taken name
 * never reveals a room the caller cannot see (docs/decisions/125-room-names.md).
 */
const nameKeys = (kind: RoomKindRecord, name: string) =>
  kind === 'channel' ? { nameKey: name.toLowerCase(), skeleton: usernameSkeleton(name) } : { nameKey: null, skeleton: null };

/** The channel, other than `exceptId`, named `name` in any case or looking like it; an exact name first. */
const CHANNEL_CLASH = `select name from rooms where kind = 'channel' and (name_key = ? or name_skeleton = ?) and id is distinct from ?::uuid
  order by name_key = ? desc limit 1`;
const channelClashParams = (name: string, exceptId: string | null) => [name.toLowerCase(), usernameSkeleton(name), exceptId, name.toLowerCase()];

/** A room as stored in an event's payload: what it was at that event. */
const roomJson = (room: RoomRecord) => ({ ...room, createdAt: room.createdAt.toISOString() });

/** The one DM of a pair: its `rooms.dm_key`, the same whichever of the two opens it. */
const dmKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** The one group DM of a set of people (docs/decisions/153): their sorted ids, whoever opens it. */
const groupKeyOf = (ids: readonly string[]) => [...new Set(ids)].sort().join(':');

/** A group DM's members in the order ROOM_COLUMNS reads them (lower-cased name by code point, then id). */
const byUsername = (a: { id: string; username: string }, b: { id: string; username: string }) =>
  a.username.toLowerCase() < b.username.toLowerCase() ? -1 : a.username.toLowerCase() > b.username.toLowerCase() ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** What a group DM's add says: a member already, the room is full, or the join's event. */
export type GroupAddResult = { status: 'added'; events: EventRecord[] } | { status: 'member' } | { status: 'full' };

/** A room's size and, when it is small, its members: what presence scoping caches. */
export interface RoomMembersRecord {
  id: string;
  memberCount: number;
  /** Null when the room has more members than asked for. */
  memberIds: string[] | null;
}

interface UserRef {
  id: string;
  username: string;
}

export class RoomRepository extends EntityRepository<Room> {
  private locked<T>(work: (em: Exec) => Promise<T>): Promise<T> {
    return lockedTransaction(this.getEntityManager(), work);
  }

  private get exec(): Exec {
    return execOn(this.getEntityManager());
  }

  private appendEvent(em: Exec, e: Parameters<typeof appendEvent>[1]): Promise<EventRecord> {
    return appendEvent(em, e);
  }

  private async roomIn(em: Exec, roomId: string): Promise<RoomRecord | null> {
    const rows = await em<RoomRow[]>(`select ${ROOM_COLUMNS} from rooms r where r.id = ?`, [roomId]);
    return rows[0] ? toRoom(rows[0]) : null;
  }

  private async userRef(em: Exec, userId: string): Promise<UserRef | null> {
    const rows = await em<UserRef[]>('select id, username from users where id = ?', [userId]);
    return rows[0] ?? null;
  }

  /** The user as a group's member list shows them (`memberJson`). */
  private async memberRef(em: Exec, userId: string): Promise<RoomMemberRecord | null> {
    const rows = await em<{ member: RoomMemberRecord }[]>(`select ${memberJson('u')} as member from users u where u.id = ?`, [userId]);
    return rows[0]?.member ?? null;
  }

  async findById(roomId: string): Promise<RoomRecord | null> {
    return this.roomIn(this.exec, roomId);
  }

  /**
   * The name of the channel (other than `exceptId`) that `name` equals in any case or looks like
   * ("generaI" for "general"), or null. Channels only: every channel is public (room.browse).
   */
  async channelNamedLike(name: string, exceptId: string | null = null): Promise<string | null> {
    const rows = await this.exec<{ name: string }[]>(CHANNEL_CLASH, channelClashParams(name, exceptId));
    return rows[0]?.name ?? null;
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<unknown[]>(
      'select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null',
      [roomId, userId],
    );
    return rows.length > 0;
  }

  async userExists(userId: string): Promise<boolean> {
    return (await this.userRef(this.exec, userId)) !== null;
  }

  /** The caller's rooms with read state and last activity, most recently active first. */
  async listForUser(userId: string): Promise<RoomListRecord[]> {
    const rows = await this.getEntityManager().execute<
      (RoomRow & { unread: number; mentions: number; last_read: string | null; last_message_id: string | null; last_activity_ms: number })[]
    >(
      `select ${ROOM_COLUMNS}, rm.last_read_message_id::text as last_read, lm.id::text as last_message_id,
          extract(epoch from greatest(lm.created_at, rm.joined_at))::float8 * 1000 as last_activity_ms,
          (select count(*)::int from (select 1 from messages x where x.room_id = r.id and x.in_room and x.id > coalesce(rm.last_read_message_id, 0)
             and x.author_id <> rm.user_id limit ${UNREAD_CAP}) c) as unread,
          ${UNREAD_MENTIONS(UNREAD_CAP)} as mentions
        from room_members rm join rooms r on r.id = rm.room_id
        left join lateral (select x.id, x.created_at from messages x where x.room_id = r.id and x.in_room order by x.id desc limit 1) lm on true
       where rm.user_id = ? and rm.left_event_id is null
       order by last_activity_ms desc, r.id`,
      [userId],
    );
    return rows.map((r) => ({
      room: toRoom(r),
      unread: r.unread,
      lastReadMessageId: r.last_read,
      lastMessageId: r.last_message_id,
      lastActivityAt: new Date(Math.floor(r.last_activity_ms)),
      mentions: r.mentions,
    }));
  }

  /** Public channels whose name contains `query` (case-insensitive), biggest first. */
  async browse(userId: string, query: string | null, limit: number): Promise<(RoomRecord & { joined: boolean })[]> {
    const rows = await this.getEntityManager().execute<(RoomRow & { joined: boolean })[]>(
      `select ${ROOM_COLUMNS}, exists (select 1 from room_members rm where rm.room_id = r.id and rm.user_id = ? and rm.left_event_id is null) as joined
         from rooms r where r.kind = 'channel' ${query ? `and r.name_key like ? escape '\\'` : ''}
        order by r.member_count desc, r.name_key limit ?`,
      query ? [userId, `%${query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit] : [userId, limit],
    );
    return rows.map((r) => ({ ...toRoom(r), joined: r.joined }));
  }

  async members(roomId: string): Promise<UserRefRecord[]> {
    return this.getEntityManager().execute<UserRefRecord[]>(
      `select u.id, u.username, u.avatar_key as avatar, u.display_name as "displayName" from room_members rm join users u on u.id = rm.user_id
        where rm.room_id = ? and rm.left_event_id is null order by lower(u.username) limit 1000`,
      [roomId],
    );
  }

  /**
   * Presence scoping (docs/decisions/121-presence-by-shared-rooms.md): each room's member count and,
   * for rooms of at most `smallLimit` members, their member ids, with the newest event id, in one
   * statement (one snapshot): since events commit in id order, all of it is as of that id.
   */
  async membersAt(roomIds: string[], smallLimit: number): Promise<{ eventId: string; rooms: RoomMembersRecord[] }> {
    const rows = await this.getEntityManager().execute<{ at: string | null; rooms: RoomMembersRecord[] }[]>(
      `select (select max(id)::text from events) as at,
              coalesce((select json_agg(json_build_object('id', r.id, 'memberCount', r.member_count, 'memberIds',
                 case when r.member_count <= ? then (select coalesce(json_agg(rm.user_id), '[]') from room_members rm
                   where rm.room_id = r.id and rm.left_event_id is null) end))
               from rooms r where r.id = any(string_to_array(?, ',')::uuid[])), '[]') as rooms`,
      // One text parameter: an array one would be spread into a list by the query builder.
      [smallLimit, roomIds.join(',')],
    );
    return { eventId: rows[0]?.at ?? '0', rooms: rows[0]?.rooms ?? [] };
  }

  /** Whether `messageId` is a message of `roomId`. */
  async hasMessage(roomId: string, messageId: string): Promise<boolean> {
    const rows = await this.getEntityManager().execute<unknown[]>('select 1 from messages where id = ? and room_id = ? and in_room', [messageId, roomId]);
    return rows.length > 0;
  }

  /** Adds `userId` under the lock, with its room.joined event; null when already a member. */
  private async addMemberLocked(em: Exec, roomId: string, userId: string, actorId: string | null): Promise<EventRecord | null> {
    const already = await em<unknown[]>('select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null', [roomId, userId]);
    if (already.length > 0) return null;
    await em('update rooms set member_count = member_count + 1 where id = ?', [roomId]);
    const room = (await this.roomIn(em, roomId))!;
    const user = (await this.userRef(em, userId))!;
    const by = actorId && actorId !== userId ? await this.userRef(em, actorId) : null;
    const last = await em<{ id: string; at_ms: number }[]>(
      'select m.id::text as id, extract(epoch from m.created_at)::float8 * 1000 as at_ms from messages m where m.room_id = ? and m.in_room order by m.id desc limit 1',
      [roomId],
    );
    // A group DM is named by its members: the joiner, whose row is written below, is one already.
    const shown = room.groupMembers ? { ...room, groupMembers: [...room.groupMembers, (await this.memberRef(em, userId))!].sort(byUsername) } : room;
    const event = await this.appendEvent(em, {
      type: 'room.joined',
      roomId,
      userId,
      actorId: by?.id ?? null,
      payload: {
        room: roomJson(shown),
        user,
        by,
        lastMessageId: last[0]?.id ?? null,
        lastMessageAt: last[0] ? new Date(Math.floor(last[0].at_ms)).toISOString() : null,
      },
    });
    await em(
      `insert into room_members (room_id, user_id, joined_event_id, joined_at, last_read_message_id) values (?, ?, ?, ?, ?)`,
      [roomId, userId, event.id, event.createdAt, last[0]?.id ?? null],
    );
    if (room.groupMembers) await this.refreshGroupKey(em, roomId);
    return event;
  }

  /**
   * A group DM's key follows its members, so opening the same people finds it; when another group
   * already has this set, this one gives the key up (the other is the one found).
   */
  private async refreshGroupKey(em: Exec, roomId: string): Promise<void> {
    const rows = await em<{ user_id: string }[]>('select user_id from room_members where room_id = ? and left_event_id is null', [roomId]);
    const key = rows.length >= 3 ? groupKeyOf(rows.map((r) => r.user_id)) : null;
    const taken = key ? await em<unknown[]>('select 1 from rooms where group_key = ? and id <> ?', [key, roomId]) : [];
    await em('update rooms set group_key = ? where id = ?', [taken.length > 0 ? null : key, roomId]);
  }

  /** Sign-up: the new account joins #everyone. */
  async joinEveryone(userId: string): Promise<EventRecord | null> {
    return this.locked((em) => this.addMemberLocked(em, EVERYONE_ROOM_ID, userId, null));
  }

  /**
   * A channel or private room, with its creator as first member; null when the name is a channel's,
   * in any case, or looks like one's. Private rooms never clash with each other.
   */
  async createRoom(input: { kind: 'channel' | 'private'; name: string; topic: string | null; createdBy: string }): Promise<{ room: RoomRecord; events: EventRecord[] } | null> {
    return this.locked(async (em) => {
      if ((await em<unknown[]>(CHANNEL_CLASH, channelClashParams(input.name, null))).length > 0) return null;
      const id = randomUUID();
      const { nameKey, skeleton } = nameKeys(input.kind, input.name);
      // Under the lock the check above decides; the unique indexes back it up.
      const inserted = await em<unknown[]>(
        `insert into rooms (id, kind, name, name_key, name_skeleton, topic, created_by_id, created_at, member_count) values (?, ?, ?, ?, ?, ?, ?, clock_timestamp(), 0)
           on conflict do nothing returning id`,
        [id, input.kind, input.name, nameKey, skeleton, input.topic, input.createdBy],
      );
      if (inserted.length === 0) return null;
      const event = (await this.addMemberLocked(em, id, input.createdBy, null))!;
      return { room: (await this.roomIn(em, id))!, events: [event] };
    });
  }

  /**
   * Rename and/or new topic; null when the new name clashes with another channel's (as createRoom).
   * A name sent unchanged is left alone, so an older look-alike channel can still change its topic.
   */
  async update(roomId: string, changes: { name?: string; topic?: string | null }, actorId: string): Promise<{ room: RoomRecord; event: EventRecord } | null> {
    return this.locked(async (em) => {
      const current = (await this.roomIn(em, roomId))!;
      if (changes.name !== undefined && changes.name !== current.name) {
        if ((await em<unknown[]>(CHANNEL_CLASH, channelClashParams(changes.name, roomId))).length > 0) return null;
        const { nameKey, skeleton } = nameKeys(current.kind, changes.name);
        await em('update rooms set name = ?, name_key = ?, name_skeleton = ? where id = ?', [changes.name, nameKey, skeleton, roomId]);
      }
      if (changes.topic !== undefined) await em('update rooms set topic = ? where id = ?', [changes.topic, roomId]);
      const room = (await this.roomIn(em, roomId))!;
      const event = await this.appendEvent(em, { type: 'room.updated', roomId, userId: null, actorId, payload: { room: roomJson(room) } });
      return { room, event };
    });
  }

  async addMember(roomId: string, userId: string, actorId: string | null): Promise<EventRecord | null> {
    return this.locked((em) => this.addMemberLocked(em, roomId, userId, actorId));
  }

  /** Ends `userId`'s membership with its room.left event; null when they were not a member. */
  async removeMember(roomId: string, userId: string, actorId: string | null): Promise<EventRecord | null> {
    return (await this.removeMemberEvents(roomId, userId, actorId))[0] ?? null;
  }

  /**
   * `removeMember` with every event it wrote: a group DM's room.updated too (its name changes with
   * its members); none when they were not a member.
   */
  async removeMemberEvents(roomId: string, userId: string, actorId: string | null): Promise<EventRecord[]> {
    return this.locked(async (em) => {
      const current = await em<{ id: string }[]>(
        'select id::text as id from room_members where room_id = ? and user_id = ? and left_event_id is null',
        [roomId, userId],
      );
      if (!current[0]) return [];
      const counted = await em<{ member_count: number }[]>('update rooms set member_count = member_count - 1 where id = ? returning member_count', [roomId]);
      const user = (await this.userRef(em, userId))!;
      const by = actorId && actorId !== userId ? await this.userRef(em, actorId) : null;
      const event = await this.appendEvent(em, {
        type: 'room.left',
        roomId,
        userId,
        actorId: by?.id ?? null,
        payload: { user, by, memberCount: counted[0]!.member_count },
      });
      await em('update room_members set left_event_id = ? where id = ?', [event.id, current[0].id]);
      const room = (await this.roomIn(em, roomId))!;
      if (!room.groupMembers) return [event];
      // The others' name for the group drops the leaver: the room as it is now (docs/decisions/153).
      await this.refreshGroupKey(em, roomId);
      const renamed = await this.appendEvent(em, { type: 'room.updated', roomId, userId: null, actorId: null, payload: { room: roomJson(room) } });
      return [event, renamed];
    });
  }

  /** The DM of two users, made with both as members on first use; one per pair, whatever the concurrency. */
  async openDirect(a: string, b: string): Promise<{ room: RoomRecord; events: EventRecord[] }> {
    const key = dmKey(a, b);
    return this.locked(async (em) => {
      // Under the lock, so two concurrent opens cannot both miss the row; the unique key backs it up.
      const existing = await em<{ id: string }[]>('select id from rooms where dm_key = ?', [key]);
      if (existing[0]) return { room: (await this.roomIn(em, existing[0].id))!, events: [] };
      const id = randomUUID();
      await em(
        `insert into rooms (id, kind, name, name_key, topic, created_by_id, created_at, dm_key, member_count) values (?, 'dm', '', null, null, null, clock_timestamp(), ?, 0)`,
        [id, key],
      );
      const events = [(await this.addMemberLocked(em, id, a, null))!];
      if (b !== a) events.push((await this.addMemberLocked(em, id, b, a))!);
      return { room: (await this.roomIn(em, id))!, events };
    });
  }

  /** The group DM of exactly these members now, if there is one; a plain read. */
  async findGroup(memberIds: readonly string[]): Promise<RoomRecord | null> {
    const rows = await this.exec<{ id: string }[]>('select id from rooms where group_key = ?', [groupKeyOf(memberIds)]);
    return rows[0] ? this.roomIn(this.exec, rows[0].id) : null;
  }

  /** How many of `ids` are accounts one may write to: not deleted, not banned. */
  async existingUserCount(ids: readonly string[]): Promise<number> {
    const rows = await this.exec<{ n: number }[]>(
      `select count(*)::int as n from users where id = any(string_to_array(?, ',')::uuid[]) and deleted_at is null and banned_at is null`,
      [ids.join(',')],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The group DM of `opener` and `others` (docs/decisions/153), made with all of them as members on
   * first use: one per set of people whatever the concurrency (found by key under the lock).
   */
  async openGroup(opener: string, others: readonly string[]): Promise<{ room: RoomRecord; events: EventRecord[] }> {
    const key = groupKeyOf([opener, ...others]);
    return this.locked(async (em) => {
      const existing = await em<{ id: string }[]>('select id from rooms where group_key = ?', [key]);
      if (existing[0]) return { room: (await this.roomIn(em, existing[0].id))!, events: [] };
      const id = randomUUID();
      await em(
        `insert into rooms (id, kind, name, name_key, topic, created_by_id, created_at, is_group, group_key, member_count) values (?, 'private', '', null, null, null, clock_timestamp(), true, ?, 0)`,
        [id, key],
      );
      const events = [(await this.addMemberLocked(em, id, opener, null))!];
      for (const other of others) events.push((await this.addMemberLocked(em, id, other, opener))!);
      return { room: (await this.roomIn(em, id))!, events };
    });
  }

  /** Adds someone to a group DM under the lock, refused once it has `max` members. */
  async addGroupMember(roomId: string, userId: string, actorId: string, max: number): Promise<GroupAddResult> {
    return this.locked(async (em) => {
      if ((await em<unknown[]>('select 1 from room_members where room_id = ? and user_id = ? and left_event_id is null', [roomId, userId])).length > 0) return { status: 'member' } as const;
      const size = await em<{ member_count: number; is_group: boolean }[]>('select member_count, is_group from rooms where id = ?', [roomId]);
      if (size[0]?.is_group && size[0].member_count >= max) return { status: 'full' } as const;
      return { status: 'added', events: [(await this.addMemberLocked(em, roomId, userId, actorId))!] } as const;
    });
  }

  /**
   * A group DM becomes a plain private room named `name`, whose creator (it may rename it and
   * remove members) is the member who converted it; history, members, reads and pins stay. Null
   * when it is not a group DM (any more).
   */
  async convertGroup(roomId: string, name: string, actorId: string): Promise<{ room: RoomRecord; event: EventRecord } | null> {
    return this.locked(async (em) => {
      const changed = await em<unknown[]>(
        `update rooms set is_group = false, group_key = null, name = ?, created_by_id = ? where id = ? and is_group returning 1`,
        [name, actorId, roomId],
      );
      if (changed.length === 0) return null;
      const room = (await this.roomIn(em, roomId))!;
      const event = await this.appendEvent(em, { type: 'room.updated', roomId, userId: null, actorId, payload: { room: roomJson(room) } });
      return { room, event };
    });
  }

  /** The DM of this pair if it was ever opened; a plain read that makes nothing. */
  async findDirect(a: string, b: string): Promise<RoomRecord | null> {
    const rows = await this.exec<{ id: string }[]>('select id from rooms where dm_key = ?', [dmKey(a, b)]);
    return rows[0] ? this.roomIn(this.exec, rows[0].id) : null;
  }

  /** Moves the read position forward only; null when it would not move (already there or past it). */
  async markRead(roomId: string, userId: string, messageId: string): Promise<EventRecord | null> {
    return this.locked(async (em) => {
      const moved = await em<unknown[]>(
        `update room_members set last_read_message_id = ? where room_id = ? and user_id = ? and left_event_id is null
           and (last_read_message_id is null or last_read_message_id < ?) returning 1`,
        [messageId, roomId, userId, messageId],
      );
      if (moved.length === 0) return null;
      // The counts after the move and the event carrying them, in one round trip under the lock.
      const read = await em<EventRow[]>(
        `with counts as (
           select (select count(*)::int from (select 1 from messages where room_id = rm.room_id and in_room and id > ? and author_id <> rm.user_id limit ${UNREAD_CAP}) c) as unread,
                  ${UNREAD_MENTIONS(UNREAD_CAP)} as mentions
             from room_members rm where rm.room_id = ? and rm.user_id = ? and rm.left_event_id is null
         ),
         inserted as (
           insert into events (type, room_id, user_id, message_id, payload, created_at)
           select 'read.updated', ?, ?, ?, jsonb_build_object('unread', counts.unread, 'mentions', counts.mentions), clock_timestamp() from counts
           returning *
         )
         ${SELECT_INSERTED_EVENTS}`,
        [messageId, roomId, userId, roomId, userId, messageId],
      );
      return toEventRecord(read[0]!);
    });
  }
}
