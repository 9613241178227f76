import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { RoomRepository } from '../repositories/room.repository';
import { User } from './user.entity';

/**
 * A conversation: #everyone, a channel, a private room or a direct message
 * (docs/decisions/070-event-model.md). Queries live in RoomRepository (raw SQL under the append lock).
 */
export const Room = defineEntity({
  name: 'Room',
  tableName: 'rooms',
  repository: () => RoomRepository,
  properties: (p) => ({
    id: p.uuid().primary(),
    /** 'channel' | 'private' | 'dm'; #everyone is a channel nobody can leave. */
    kind: p.string().length(16),
    /** Channels and private rooms: as typed. DMs: empty (each member sees the other's name). */
    name: p.string().length(32),
    /**
     * lower(name) for channels, which share one namespace; null for private rooms (a taken name must
     * not reveal a room the caller cannot see) and DMs (docs/decisions/125-room-names.md).
     */
    nameKey: p.string().length(32).nullable().unique('rooms_name_key_unique'),
    /**
     * Channels: usernameSkeleton() of the name, so "generaI" and "genera1" are "general"; null for other
     * rooms and for an older channel whose name looked like an earlier one's when the column was added.
     */
    nameSkeleton: p.text().nullable().unique('rooms_name_skeleton_unique'),
    topic: p.text().nullable(),
    createdBy: () => p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime(),
    /** DMs only: "<smaller user id>:<larger user id>", so a pair has one DM even under concurrency. */
    dmKey: p.string().length(80).nullable().unique('rooms_dm_key_unique'),
    /**
     * A group DM (docs/decisions/153-group-dms.md): a private room without a name or creator, named by
     * its members on screen, until a member converts it into a plain private room.
     */
    isGroup: p.boolean().default(false),
    /** Group DMs: the sorted ids of the current members, so one set of people has one group even under concurrency. */
    groupKey: p.string().length(300).nullable().unique('rooms_group_key_unique'),
    /** Kept under the append lock with the membership rows. */
    memberCount: p.integer().default(0),
  }),
});

export type Room = InferEntity<typeof Room>;
