import { z } from 'zod';
import { messageIdSchema } from './chat.schema';
import { roomIdSchema } from './ids';

/** The most pins one room holds (docs/decisions/154-pinned-messages.md). */
export const MAX_PINS_PER_ROOM = 50;

export const pinInput = z.object({ messageId: messageIdSchema }).strict();
export const pinsInput = z.object({ roomId: roomIdSchema }).strict();
