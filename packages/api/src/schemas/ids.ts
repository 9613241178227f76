import { z } from 'zod';

/** The room every account belongs to from sign-up; `chat.send`/`history`/`onMessage` without a roomId mean it. */
export const EVERYONE_ROOM_ID = '00000000-0000-4000-8000-000000000001';

/** Room ids are UUIDs: opaque, not enumerable. */
export const roomIdSchema = z.string().uuid('Expected a room id').transform((id) => id.toLowerCase());
export const userIdSchema = z.string().uuid('Expected a user id').transform((id) => id.toLowerCase());

/*
 * Message and event ids: PostgreSQL int8 sequence values, held and sent everywhere as their decimal
 * strings without leading zeros ("0" only as the cursor of an empty log; the schemas enforce it).
 * This is their one comparison, for the server and the client core alike: by length, then by
 * characters, so a hot path pays no BigInt per stream per event (docs/decisions/132).
 */

/** The largest int8: no message or event id is above it. */
export const MAX_SEQUENCE_ID = '9223372036854775807';

/** Decimal id order: negative, zero or positive as `a` is before, equal to or after `b`. */
export const compareIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** `a` comes after `b`. */
export const idAfter = (a: string, b: string): boolean => (a.length === b.length ? a > b : a.length > b.length);

/** The id right after `id` in its sequence. */
export const nextId = (id: string): string => (BigInt(id) + 1n).toString();

/** More than `count` ids lie after `from` up to `to` (false when `to` is not after `from`). */
export const moreThanApart = (from: string, to: string, count: number): boolean => BigInt(to) - BigInt(from) > BigInt(count);
