import type { OutboxItem } from '@chat/client/core';
import { sendErrorMessage } from '../composer/send-errors';
import { messageActionError } from './message-action-errors';

/** Why the outbox stopped an item, in the words the web already uses for a send (a thread reply is one) and for a change to a message. */
export function outboxRefusal(error: unknown, item: OutboxItem): string {
  if (item.kind === 'send' || item.kind === 'reply') return sendErrorMessage(error);
  return `${item.kind === 'edit' ? 'Edit not saved' : 'Reaction not saved'}: ${messageActionError(error)}`;
}
