import { z } from 'zod';

/** Attachment ids: 128 random bits as 32 lowercase hex digits (unguessable; never listed). */
export const attachmentIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{32}$/, 'Expected an attachment id')
  .transform((id) => id.toLowerCase());

/** Files one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;

/**
 * A file of a message as every reader gets it. `type` was found by the server in the bytes (never the
 * uploader's word); an image (re-encoded by the server) has its real size in pixels and whether it moves.
 */
export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int().nonnegative(),
  kind: z.enum(['image', 'file']),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  animated: z.boolean().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** A short-lived URL for one attachment (browsers cannot send Authorization from `<img>`). */
export const fileTicketInput = z.object({ attachmentId: attachmentIdSchema }).strict();
export type FileTicketInput = z.input<typeof fileTicketInput>;

/** The tus upload endpoint (tus 1.0): `Upload-Metadata` carries `filename` and `roomId`. */
export const UPLOADS_PATH = '/files/uploads';
/** The final upload response names the attachment made from it in this header. */
export const ATTACHMENT_ID_HEADER = 'Chat-Attachment-Id';
