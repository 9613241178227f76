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
