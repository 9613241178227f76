import { EVERYONE_ROOM_ID, type RoomListRecord, type RoomRecord } from '@chat/db';
import type { z } from 'zod';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { roomFor, type StoredRoom } from '../events/stored-event';
import type { DirectoryRoom, Room, RoomListItem, UserRef } from '../room-shapes';
import {
  type browseRoomsInput,
  type convertGroupInput,
  type createRoomInput,
  type markReadInput,
  MAX_GROUP_MEMBERS,
  type openDirectInput,
  type openGroupInput,
  type roomMemberInput,
  type updateRoomInput,
} from '../schemas/room.schema';
import type { CallDeps } from './deps';
import { toUserRef } from '../shapes';
import { activeMute, mutedRefusal, refuseIfMuted } from './mute';
import { requireMember, roomNotFound } from './room-access';
import { moderatorRank, requireOutranksUser } from './room-moderation';
import { roomNameRefusal } from './room-names';

const stored = (r: RoomRecord): StoredRoom => ({ ...r, createdAt: r.createdAt.toISOString() });
const roomView = (r: RoomRecord, viewerId: string): Room => roomFor(stored(r), viewerId);

const listItem = (r: RoomListRecord, viewerId: string): RoomListItem => ({
  ...roomView(r.room, viewerId),
  unread: r.unread,
  lastReadMessageId: r.lastReadMessageId,
  lastMessageId: r.lastMessageId,
  lastActivityAt: r.lastActivityAt.toISOString(),
  mentions: r.mentions,
});

/** Rooms and membership (docs/decisions/072-room-access.md); every change is an event on the stream. */
export function createRoomService(call: CallDeps) {
  const { bus, limits } = call;
  const repos = () => call.repos;

  return {
    async list(user: UserRef): Promise<RoomListItem[]> {
      return (await repos().rooms.listForUser(user.id)).map((r) => listItem(r, user.id));
    },

    async create(user: UserRef, input: z.output<typeof createRoomInput>): Promise<Room> {
      await limits.consumeRoomWrite(user.id);
      // A room's name and topic are listed in Browse channels: publishing (docs/decisions/124).
      await refuseIfMuted(call, user.id);
      const made = await repos().rooms.createRoom({ kind: input.kind, name: input.name, topic: input.topic || null, createdBy: user.id });
      if (!made) throw await roomNameRefusal(repos(), input.name, null);
      publishEvents(bus, made.events);
      return roomView(made.room, user.id);
    },

    /** The creator renames or changes the topic; other members are FORBIDDEN. */
    async update(user: UserRef, input: z.output<typeof updateRoomInput>): Promise<Room> {
      const room = await requireMember(repos(), input.roomId, user.id);
      if (room?.groupMembers) throw new DomainError('BAD_REQUEST', 'A group is named by its members: convert it into a private room to name it');
      if (!room || room.createdBy !== user.id) throw new DomainError('FORBIDDEN', 'Only the room’s creator can change it');
      if (input.name === undefined && input.topic === undefined) return roomView(room, user.id);
      await limits.consumeRoomWrite(user.id);
      await refuseIfMuted(call, user.id);
      const changes = { ...(input.name === undefined ? {} : { name: input.name }), ...(input.topic === undefined ? {} : { topic: input.topic || null }) };
      const updated = await repos().rooms.update(room.id, changes, user.id);
      if (!updated) throw await roomNameRefusal(repos(), input.name ?? '', room.id);
      publishEvents(bus, [updated.event]);
      return roomView(updated.room, user.id);
    },

    async browse(user: UserRef, input: z.output<typeof browseRoomsInput>): Promise<DirectoryRoom[]> {
      const rows = await repos().rooms.browse(user.id, input.query || null, input.limit);
      return rows.map((r) => ({ id: r.id, name: r.name, topic: r.topic, memberCount: r.memberCount, joined: r.joined }));
    },

    /** Public channels only; anything else is NOT_FOUND to a non-member, as if it did not exist. */
    async join(user: UserRef, roomId: string): Promise<Room> {
      const room = await repos().rooms.findById(roomId);
      if (!room) throw roomNotFound();
      if (room.kind !== 'channel') {
        if (await repos().rooms.isMember(roomId, user.id)) return roomView(room, user.id);
        throw roomNotFound();
      }
      await limits.consumeMembershipChange(user.id);
      publishEvents(bus, [await repos().rooms.addMember(roomId, user.id, null)]);
      return roomView((await repos().rooms.findById(roomId))!, user.id);
    },

    /** Not #everyone, not a DM (a DM stays: docs/decisions/072). A channel left twice is fine. */
    async leave(user: UserRef, roomId: string): Promise<null> {
      if (roomId === EVERYONE_ROOM_ID) throw new DomainError('BAD_REQUEST', 'You cannot leave #everyone');
      const room = await repos().rooms.findById(roomId);
      if (room?.kind === 'channel' && !(await repos().rooms.isMember(roomId, user.id))) return null;
      await requireMember(repos(), roomId, user.id);
      if (room!.kind === 'dm') throw new DomainError('BAD_REQUEST', 'You cannot leave a direct message');
      await limits.consumeMembershipChange(user.id);
      publishEvents(bus, await repos().rooms.removeMemberEvents(roomId, user.id, null));
      return null;
    },

    /** Any member of a channel or private room adds someone; adding a member again changes nothing. */
    async invite(user: UserRef, { roomId, userId }: z.output<typeof roomMemberInput>): Promise<null> {
      const room = await requireMember(repos(), roomId, user.id);
      if (roomId === EVERYONE_ROOM_ID) return null;
      if (room!.kind === 'dm') throw new DomainError('BAD_REQUEST', 'You cannot add people to a direct message');
      await limits.consumeRoomWrite(user.id);
      // The invitee is shown the room's name, whatever it says (docs/decisions/124).
      await refuseIfMuted(call, user.id);
      if (!(await repos().rooms.userExists(userId))) throw new DomainError('NOT_FOUND', 'User not found');
      if (!room!.groupMembers) {
        publishEvents(bus, [await repos().rooms.addMember(roomId, userId, user.id)]);
        return null;
      }
      // A group DM stays small (docs/decisions/153); past that, a private room.
      if ((await repos().rooms.existingUserCount([userId])) === 0) throw new DomainError('NOT_FOUND', 'User not found');
      const added = await repos().rooms.addGroupMember(roomId, userId, user.id, MAX_GROUP_MEMBERS);
      if (added.status === 'full') throw new DomainError('BAD_REQUEST', `A group holds at most ${MAX_GROUP_MEMBERS} people; convert it into a private room for more`);
      if (added.status === 'added') publishEvents(bus, added.events);
      return null;
    },

    /**
     * A moderator of a channel or private room (its creator; admins and owners who are in it)
     * removes someone below them; other members are FORBIDDEN. Audited like every moderator action.
     */
    async remove(user: UserRef, { roomId, userId }: z.output<typeof roomMemberInput>): Promise<null> {
      const room = await requireMember(repos(), roomId, user.id);
      if (room?.kind === 'dm') throw new DomainError('BAD_REQUEST', 'You cannot remove anyone from a direct message');
      if (room?.groupMembers) throw new DomainError('BAD_REQUEST', 'Nobody is removed from a group; anyone in it can leave');
      const rank = room ? await moderatorRank(repos(), user.id, room) : null;
      if (!room || !rank) throw new DomainError('FORBIDDEN', 'Only the room’s creator or an admin can remove members');
      if (userId === user.id) throw new DomainError('BAD_REQUEST', 'Use room.leave to leave a room you created');
      await requireOutranksUser(repos(), rank, userId, 'remove');
      await limits.consumeRoomWrite(user.id);
      const events = await repos().rooms.removeMemberEvents(roomId, userId, user.id);
      const removed = events[0];
      publishEvents(bus, events);
      const target = await repos().users.findRecordById(userId);
      if (removed && target) {
        await repos().audit.append({ actor: user, action: 'room.remove', target: { id: target.id, username: target.username }, details: { roomId, room: room.name } });
      }
      return null;
    },

    /** The one DM of this pair, made on first use with both as members; a muted caller only reopens one. */
    async openDirect(user: UserRef, { userId }: z.output<typeof openDirectInput>): Promise<Room> {
      if (userId === user.id) throw new DomainError('BAD_REQUEST', 'You cannot open a direct message with yourself');
      if (!(await repos().rooms.userExists(userId))) throw new DomainError('NOT_FOUND', 'User not found');
      // Charged before the write, even when the DM exists already: each call takes the append lock.
      await limits.consumeRoomWrite(user.id);
      const mutedUntil = await activeMute(call, user.id);
      if (mutedUntil) {
        // A new DM puts the caller in the other's room list unasked; an existing one writes nothing.
        const existing = await repos().rooms.findDirect(user.id, userId);
        if (!existing) throw mutedRefusal(mutedUntil);
        return roomView(existing, user.id);
      }
      const opened = await repos().rooms.openDirect(user.id, userId);
      publishEvents(bus, opened.events);
      return roomView(opened.room, user.id);
    },

    /**
     * The one group DM of the caller and these people (docs/decisions/153), made on first use with
     * all of them as members. Reopening costs a room write; making one also a group DM (a spammer
     * cannot put thousands of rooms in people's lists) and is refused while muted.
     */
    async openGroup(user: UserRef, { userIds }: z.output<typeof openGroupInput>): Promise<Room> {
      const others = [...new Set(userIds)].filter((id) => id !== user.id);
      if (others.length < 2) throw new DomainError('BAD_REQUEST', 'A group needs at least two other people; message one person directly');
      await limits.consumeRoomWrite(user.id);
      if ((await repos().rooms.existingUserCount(others)) !== others.length) throw new DomainError('NOT_FOUND', 'User not found');
      const existing = await repos().rooms.findGroup([user.id, ...others]);
      if (existing) return roomView(existing, user.id);
      await refuseIfMuted(call, user.id);
      await limits.consumeGroupDm(user.id);
      const opened = await repos().rooms.openGroup(user.id, others);
      publishEvents(bus, opened.events);
      return roomView(opened.room, user.id);
    },

    /**
     * A member names a group DM, which becomes a private room: history, members, reads and pins stay,
     * the member who named it is its creator, and everyone in it gets room.updated.
     */
    async convertGroup(user: UserRef, { roomId, name }: z.output<typeof convertGroupInput>): Promise<Room> {
      const room = await requireMember(repos(), roomId, user.id);
      if (!room?.groupMembers) throw new DomainError('BAD_REQUEST', 'Only a group conversation can be converted into a private room');
      await limits.consumeRoomWrite(user.id);
      // The name is shown to every member: publishing (docs/decisions/124).
      await refuseIfMuted(call, user.id);
      const converted = await repos().rooms.convertGroup(roomId, name, user.id);
      if (!converted) throw new DomainError('BAD_REQUEST', 'Only a group conversation can be converted into a private room');
      publishEvents(bus, [converted.event]);
      return roomView(converted.room, user.id);
    },

    /** Moves the caller's read position forward (never back); tells their other tabs and devices. */
    async markRead(user: UserRef, { roomId, messageId }: z.output<typeof markReadInput>): Promise<null> {
      await requireMember(repos(), roomId, user.id);
      if (!(await repos().rooms.hasMessage(roomId, messageId))) throw new DomainError('NOT_FOUND', 'Message not found in this room');
      await limits.consumeReadMark(user.id);
      publishEvents(bus, [await repos().rooms.markRead(roomId, user.id, messageId)]);
      return null;
    },

    /** Members only; with whether each is online now. */
    async members(user: UserRef, roomId: string): Promise<(UserRef & { online: boolean })[]> {
      await requireMember(repos(), roomId, user.id);
      const members = await repos().rooms.members(roomId);
      const online = await call.presence.onlineAmong(members.map((m) => m.id));
      return members.map((m) => ({ ...toUserRef(m), online: online.has(m.id) }));
    },
  };
}
