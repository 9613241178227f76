export { newClientMessageId } from './client-message-id';
export { createOutbox, type Outbox, type OutboxOptions } from './outbox';
export type { OutboxAction, OutboxFile, OutboxItem, OutboxState } from './outbox-item';
export { backoffMs, outboxRefusalSentence, outboxVerdict, type OutboxVerdict } from './outbox-policy';
export { memoryOutboxStore, type OutboxStore } from './outbox-store';
export { type QueuedMarks, withQueuedChanges } from './queued-changes';
