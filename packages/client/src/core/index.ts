// The client core shared by the web app and the bot client (`@chat/client/core`): pure logic
// only, no Node or DOM-only imports, so browser bundles and Node both take it as it is.
export { apiEndpoints, apiEndpointsForPage, type ApiEndpoints, toTrpcUrl, toWebSocketUrl } from './api-url';
export { socketCloseReason, type SocketCloseReason } from './close-codes';
export { errorCode, isFinal, isRefusal, retryableDelayMs } from './error-codes';
export { banOf, banSentence, NO_CONNECTION, refusalSentence, sessionEnded, TRPC_CODES } from './refusal-sentence';
export { renewAt, renewRetryDelayMs, tokenSchedule, type TokenSchedule } from './renewal-policy';
export { tokenSessionId, tokenTimes } from './token-claims';
export { sameEmoji } from './emoji';
export {
  applyDeleted,
  applyEdited,
  applyMessageChange,
  applyPreview,
  applyReaction,
  applyThreadUpdated,
  blanked,
  type MessageChange,
  namesMe,
  quoteOf,
  reactionChangeOfAnswer,
} from './message-lifecycle';
export { applyMessageChanges, foldTimeline, mergeMessages, type TimelineSources } from './message-list';
export { applyEvent, compareIds, fromRoomList, fromSnapshot, loadRoom, markRead, roomList, type RoomEntry, type RoomSnapshotPart, type RoomState } from './room-state';
export {
  applyThreadEvent,
  applyThreadListEvent,
  fromThreadList,
  fromThreadPages,
  threadList,
  type ThreadListState,
  threadPage,
  threadReplyOf,
  type ThreadView,
  withOlderThreadPage,
} from './thread-state';
export { applyPinEvent, fromPins, isPinned, type PinListState, sortPins } from './pin-state';
export { resumable, type Resumable, type ResumableHandlers, type ResumableSource, type ResumeDelay } from './resumable-subscription';
export {
  backoffMs,
  createOutbox,
  memoryOutboxStore,
  newClientMessageId,
  type Outbox,
  type OutboxAction,
  type OutboxFile,
  type OutboxItem,
  type OutboxOptions,
  outboxRefusalSentence,
  type OutboxState,
  type OutboxStore,
  outboxVerdict,
  type OutboxVerdict,
  type QueuedMarks,
  withQueuedChanges,
} from './outbox';
export {
  applyNotificationEvent,
  emptyNotificationState,
  FOCUS_TTL_MS,
  fromNotificationSettings,
  type NotificationState,
  notifyReasons,
  settingsAllowNotification,
  watchedElsewhere,
} from './notification-state';
