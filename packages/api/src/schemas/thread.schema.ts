import { z } from 'zod';
import { messageIdSchema, messageTextSchema } from './chat.schema';

// Threads (docs/decisions/145-threads.md): every procedure names the thread by its root message.

const clientMessageIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'clientMessageId may only use letters, digits, "_" and "-"');

/** Answer a message in its thread; with `alsoSendToRoom`, the reply shows in the room's timeline too. */
export const threadReplyInput = z
  .object({
    rootId: messageIdSchema,
    text: messageTextSchema,
    /** The same retry key as chat.send's: a retry returns the stored reply. */
    clientMessageId: clientMessageIdSchema.optional(),
    alsoSendToRoom: z.boolean().optional(),
    /** A message of the same thread (its root or a reply) that this reply quotes, as chat.send's `replyTo`. */
    replyTo: messageIdSchema.optional(),
  })
  .strict();
export type ThreadReplyInput = z.input<typeof threadReplyInput>;

/** A page of the thread's replies before `cursor` (a reply id; the newest without it), oldest first. */
export const threadHistoryInput = z
  .object({
    rootId: messageIdSchema,
    cursor: messageIdSchema.optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .strict();
export type ThreadHistoryInput = z.input<typeof threadHistoryInput>;

export const threadRootInput = z.object({ rootId: messageIdSchema }).strict();
export type ThreadRootInput = z.input<typeof threadRootInput>;

/** Read up to `messageId` (a reply of the thread), or to its newest reply without it. */
export const threadMarkReadInput = z.object({ rootId: messageIdSchema, messageId: messageIdSchema.optional() }).strict();
export type ThreadMarkReadInput = z.input<typeof threadMarkReadInput>;

export const threadListInput = z.object({ limit: z.number().int().min(1).max(100).default(50) }).strict().default({ limit: 50 });
