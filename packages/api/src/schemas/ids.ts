import { z } from 'zod';

/** The room every account belongs to from sign-up; `chat.send`/`history`/`onMessage` without a roomId mean it. */
export const EVERYONE_ROOM_ID = '00000000-0000-4000-8000-000000000001';

/** Room ids are UUIDs: opaque, not enumerable. */
export const roomIdSchema = z.string().uuid('Expected a room id').transform((id) => id.toLowerCase());
export const userIdSchema = z.string().uuid('Expected a user id').transform((id) => id.toLowerCase());
