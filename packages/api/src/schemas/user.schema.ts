import { z } from 'zod';
import { attachmentIdSchema } from './file.schema';
import { normalizeText } from './text';

export const SEARCH_QUERY_MAX = 32;

export const searchUsersInput = z
  .object({
    // Normalised like stored text: NFC and no control characters (PostgreSQL refuses NUL in text).
    query: z
      .string()
      .max(SEARCH_QUERY_MAX * 4)
      .transform(normalizeText)
      .pipe(z.string().trim().min(1, 'Type at least one character').max(SEARCH_QUERY_MAX)),
    limit: z.number().int().min(1).max(50).default(20),
  })
  .strict();
export type SearchUsersInput = z.input<typeof searchUsersInput>;

/** `fileId`: an avatar upload's id (tus with `Upload-Metadata: purpose avatar`, no roomId; docs/decisions/143-avatars.md). */
export const setAvatarInput = z.object({ fileId: attachmentIdSchema }).strict();
export type SetAvatarInput = z.input<typeof setAvatarInput>;

/** Where an avatar is read (add `?ticket=` from user.avatarTicket; `small` is 64 × 64, else 256 × 256). */
export const avatarPath = (userId: string, avatar: string, size: 'large' | 'small' = 'large') =>
  `/files/avatars/${userId}/${avatar}${size === 'small' ? '/small' : ''}`;
