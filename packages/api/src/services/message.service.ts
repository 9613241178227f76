import type { z } from 'zod';
import { DomainError } from '../errors';
import type { UserRef } from '../room-shapes';
import type { deleteMessageInput, editMessageInput, reactInput } from '../schemas/chat.schema';
import type { ChatMessage, Reaction } from '../shapes';
import type { CallDeps } from './deps';

const notYet = () => new DomainError('SERVICE_UNAVAILABLE', 'not implemented yet');

/** A message's life after it was sent: edit, delete, reactions (issue 15). */
export function createMessageService(_call: CallDeps) {
  return {
    async edit(_user: UserRef, _input: z.output<typeof editMessageInput>): Promise<ChatMessage> {
      throw notYet();
    },
    async delete(_user: UserRef, _input: z.output<typeof deleteMessageInput>): Promise<ChatMessage> {
      throw notYet();
    },
    async react(_user: UserRef, _input: z.output<typeof reactInput>): Promise<{ messageId: string; reactions: Reaction[] }> {
      throw notYet();
    },
  };
}
