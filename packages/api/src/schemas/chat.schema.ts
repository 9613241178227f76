import { z } from 'zod';
import { attachmentIdSchema, MAX_ATTACHMENTS_PER_MESSAGE } from './file.schema';
import { idAfter, MAX_SEQUENCE_ID, roomIdSchema } from './ids';
import { charCount, isBlank, normalizeText } from './text';

export const MESSAGE_MAX = 2000;

/** Message ids are positive int8 values carried as decimal strings. */
export const messageIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'Expected a message id')
  // zod runs refinements even after the regex failed: only digits are compared (one issue, not two).
  .refine((id) => !/^[0-9]+$/.test(id) || !idAfter(id, MAX_SEQUENCE_ID), 'Expected a message id');

export const messageTextSchema = z
  .string()
  // Bound the raw string before trimming so a huge payload is refused cheaply.
  .max(MESSAGE_MAX * 8, `Message must be at most ${MESSAGE_MAX} characters`)
  .transform((t) => normalizeText(t).trim())
  .refine((t) => !isBlank(t), 'Message cannot be empty')
  .refine((t) => charCount(t) <= MESSAGE_MAX, `Message must be at most ${MESSAGE_MAX} characters`);

/** A message's text: the same rules as messageTextSchema, except that it may be empty when files go with it. */
const sendTextSchema = z
  .string()
  .max(MESSAGE_MAX * 8, `Message must be at most ${MESSAGE_MAX} characters`)
  .transform((t) => normalizeText(t).trim())
  .refine((t) => charCount(t) <= MESSAGE_MAX, `Message must be at most ${MESSAGE_MAX} characters`)
  .transform((t) => (isBlank(t) ? '' : t));

/** Files to send (issue 24): the sender's own uploads to this room, not sent yet. */
const attachmentIdsSchema = z
  .array(attachmentIdSchema)
  .min(1, 'Attach at least one file, or leave attachmentIds out')
  .max(MAX_ATTACHMENTS_PER_MESSAGE, `A message can carry at most ${MAX_ATTACHMENTS_PER_MESSAGE} files`)
  .refine((ids) => new Set(ids).size === ids.length, 'Each file can be attached once');

export const sendMessageInput = z
  .object({
    /** Without it: #everyone (EVERYONE_ROOM_ID), as before rooms existed. */
    roomId: roomIdSchema.optional(),
    /** May be empty ('') when `attachmentIds` is given. */
    text: sendTextSchema,
    clientMessageId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'clientMessageId may only use letters, digits, "_" and "-"')
      .optional(),
    /** The message this one answers: a message of the same room that is not deleted. */
    replyTo: messageIdSchema.optional(),
    attachmentIds: attachmentIdsSchema.optional(),
  })
  .strict()
  .refine((m) => m.text !== '' || m.attachmentIds !== undefined, {
    path: ['text'],
    message: 'Message cannot be empty',
    // Judged whenever the text itself parsed, so a blank text is reported beside other fields' issues, as before files.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null && !payload.issues.some((issue) => issue.path?.[0] === 'text'),
  });
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

/** Replace the text of one's own message (the same text rules as sending). */
export const editMessageInput = z.object({ messageId: messageIdSchema, text: messageTextSchema }).strict();
export type EditMessageInput = z.input<typeof editMessageInput>;

export const MODERATION_REASON_MAX = 500;
/** Why a moderator removed or a member reported a message (kept in the audit log or the report). */
const moderationReason = (required: string) =>
  z
    .string()
    .max(MODERATION_REASON_MAX * 4)
    .transform(normalizeText)
    .pipe(z.string().trim().min(1, required).max(MODERATION_REASON_MAX, `A reason must be at most ${MODERATION_REASON_MAX} characters`));

/**
 * Delete one's own message, or, as a moderator of its room, anyone's: its text is removed, a
 * placeholder stays in the timeline. `reason` is kept in the audit log of a moderator's delete.
 */
export const deleteMessageInput = z.object({ messageId: messageIdSchema, reason: moderationReason('Say why (the audit log keeps it)').optional() }).strict();
export type DeleteMessageInput = z.input<typeof deleteMessageInput>;

/** Longest emoji sequence accepted before the set lookup (a family with skin tones is ~20 UTF-16 units). */
export const EMOJI_MAX_UNITS = 64;
export const MAX_REACTION_EMOJI = 20;

/** One emoji of the Unicode set; the server checks it against that set (anything else is BAD_REQUEST). */
export const emojiSchema = z.string().min(1, 'Pick an emoji').max(EMOJI_MAX_UNITS, 'Pick one emoji');

/** Add (`on: true`) or take back (`on: false`) the caller's reaction with `emoji`. */
export const reactInput = z.object({ messageId: messageIdSchema, emoji: emojiSchema, on: z.boolean() }).strict();
export type ReactInput = z.input<typeof reactInput>;

export const SEARCH_MESSAGES_QUERY_MAX = 200;

/** Full-text search over the messages of the caller's rooms (or one of them), newest first. */
export const searchMessagesInput = z
  .object({
    query: z
      .string()
      .max(SEARCH_MESSAGES_QUERY_MAX * 8, `Search must be at most ${SEARCH_MESSAGES_QUERY_MAX} characters`)
      .transform((q) => normalizeText(q).trim())
      .refine((q) => !isBlank(q), 'Type something to search for')
      .refine((q) => charCount(q) <= SEARCH_MESSAGES_QUERY_MAX, `Search must be at most ${SEARCH_MESSAGES_QUERY_MAX} characters`),
    /** Without it: every room the caller is a member of. */
    roomId: roomIdSchema.optional(),
    /** A result's message id: the page of older results. */
    before: messageIdSchema.optional(),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type SearchMessagesInput = z.input<typeof searchMessagesInput>;

/** Tell the server's admins about a message of a room the caller is in. */
export const reportMessageInput = z.object({ messageId: messageIdSchema, reason: moderationReason('Say what is wrong with this message') }).strict();
export type ReportMessageInput = z.input<typeof reportMessageInput>;

/** The author takes away their message's link preview (docs/decisions/138-link-previews.md). */
export const removePreviewInput = z.object({ messageId: messageIdSchema }).strict();
export type RemovePreviewInput = z.input<typeof removePreviewInput>;
