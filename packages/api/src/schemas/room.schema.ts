import { z } from 'zod';
import { messageIdSchema } from './chat.schema';
import { roomIdSchema, userIdSchema } from './ids';
import { normalizeText } from './text';

export const ROOM_NAME_MAX = 32;
export const ROOM_TOPIC_MAX = 250;

/** Channel and private-room names follow the username rules: letters, digits, "_", "." and "-". */
export const roomNameSchema = z
  .string()
  .max(ROOM_NAME_MAX * 4)
  .transform((s) => normalizeText(s).trim())
  .pipe(
    z
      .string()
      .min(2, 'Room name must be at least 2 characters')
      .max(ROOM_NAME_MAX, `Room name must be at most ${ROOM_NAME_MAX} characters`)
      .regex(/^[A-Za-z0-9_.-]+$/, 'Room name may only use letters, digits, "_", "." and "-"')
      .regex(/[A-Za-z0-9]/, 'Room name must contain at least one letter or digit'),
  );

export const roomTopicSchema = z
  .string()
  .max(ROOM_TOPIC_MAX * 8)
  .transform((s) => normalizeText(s).trim())
  .pipe(z.string().max(ROOM_TOPIC_MAX, `Topic must be at most ${ROOM_TOPIC_MAX} characters`));

export const createRoomInput = z
  .object({ name: roomNameSchema, kind: z.enum(['channel', 'private']), topic: roomTopicSchema.optional() })
  .strict();
export type CreateRoomInput = z.input<typeof createRoomInput>;

/** Rename or change the topic (private rooms: the creator; channels: the creator). */
export const updateRoomInput = z
  .object({ roomId: roomIdSchema, name: roomNameSchema.optional(), topic: roomTopicSchema.optional() })
  .strict();

export const browseRoomsInput = z
  .object({
    query: z
      .string()
      .max(ROOM_NAME_MAX * 4)
      .transform((s) => normalizeText(s).trim())
      .pipe(z.string().max(ROOM_NAME_MAX))
      .optional(),
    limit: z.number().int().min(1).max(50).default(50),
  })
  .strict()
  .default({ limit: 50 });

export const roomInput = z.object({ roomId: roomIdSchema }).strict();
export const roomMemberInput = z.object({ roomId: roomIdSchema, userId: userIdSchema }).strict();
export const openDirectInput = z.object({ userId: userIdSchema }).strict();

/** A group DM holds at most this many people, its opener included (docs/decisions/153-group-dms.md). */
export const MAX_GROUP_MEMBERS = 8;
/** The others in a new group DM: 2 to 7 people (one is a DM: room.openDirect); repeats count once. */
export const openGroupInput = z
  .object({
    userIds: z
      .array(userIdSchema)
      .min(2, 'A group needs at least two other people; message one person directly')
      .max(MAX_GROUP_MEMBERS - 1, `A group holds at most ${MAX_GROUP_MEMBERS} people, you included`),
  })
  .strict();
/** A member turns a group DM into a private room with this name. */
export const convertGroupInput = z.object({ roomId: roomIdSchema, name: roomNameSchema }).strict();
export const markReadInput = z.object({ roomId: roomIdSchema, messageId: messageIdSchema }).strict();

/** Event ids come from one global, commit-ordered sequence (decimal strings); "0" is the cursor of an empty log. */
export const eventIdSchema = z.union([z.literal('0'), messageIdSchema]);
export const onEventInput = z
  .object({
    lastEventId: eventIdSchema.nullish(),
    /**
     * Ask for threads' events (thread.message, thread.updated, thread.read; docs/decisions/145). Without
     * it a stream carries none: a client written before threads never receives a reply it did not ask for.
     */
    threads: z.boolean().optional(),
  })
  .strict()
  .optional();
