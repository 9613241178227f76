/**
 * Every write that takes a message or event id holds this transaction-scoped advisory lock, so
 * ids are handed out in commit order: a reader that has seen id N can never later find a smaller
 * id committing behind it (docs/decisions/070-event-model.md).
 */
export const APPEND_LOCK_KEY = 4_242_001;
