import { z } from 'zod';
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
