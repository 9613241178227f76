import { z } from 'zod';
import { roomIdSchema } from './ids';
import { charCount, isBlank, normalizeText } from './text';

export const MESSAGE_MAX = 2000;

/** Message ids are positive int8 values carried as decimal strings. */
export const messageIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'Expected a message id')
  // zod runs refinements even after the regex failed: BigInt() must only see digits.
  .refine((id) => !/^[0-9]+$/.test(id) || BigInt(id) <= 9_223_372_036_854_775_807n, 'Expected a message id');

export const messageTextSchema = z
  .string()
  // Bound the raw string before trimming so a huge payload is refused cheaply.
  .max(MESSAGE_MAX * 8, `Message must be at most ${MESSAGE_MAX} characters`)
  .transform((t) => normalizeText(t).trim())
  .refine((t) => !isBlank(t), 'Message cannot be empty')
  .refine((t) => charCount(t) <= MESSAGE_MAX, `Message must be at most ${MESSAGE_MAX} characters`);

export const sendMessageInput = z
  .object({
    /** Without it: #everyone (EVERYONE_ROOM_ID), as before rooms existed. */
    roomId: roomIdSchema.optional(),
    text: messageTextSchema,
    clientMessageId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'clientMessageId may only use letters, digits, "_" and "-"')
      .optional(),
  })
  .strict();
export type SendMessageInput = z.input<typeof sendMessageInput>;

export const historyInput = z
  .object({
    /** Without it: #everyone. */
    roomId: roomIdSchema.optional(),
    before: messageIdSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict()
  .default({ limit: 50 });

export const onMessageInput = z
  .object({ lastEventId: messageIdSchema.nullish(), /** Without it: #everyone. */ roomId: roomIdSchema.optional() })
  .strict()
  .optional();

export const typingInput = z.object({ typing: z.boolean(), /** Without it: #everyone. */ roomId: roomIdSchema.optional() }).strict();
