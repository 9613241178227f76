import { compareIds, type MessageChange } from '@chat/client/core';
import type { ReplyTarget } from '../api/room-types';
import type { ChatMessage } from '../api/trpc';

export interface PendingMessage {
  clientMessageId: string;
  text: string;
  /** When the user pressed send (ISO), for display until the server's time arrives. */
  createdAt: string;
  /** `queued`: waiting in the outbox for a connection; `sending`: going out now. */
  status: 'queued' | 'sending' | 'failed';
  error: string | null;
  /** The message this one answers, as the composer showed it. */
  replyTo?: ReplyTarget | null;
}

/** What arrived after the first history page: live echoes, the user's own sends, and changes to messages (edits, deletes, reactions). */
export interface LiveState {
  live: ChatMessage[];
  pending: PendingMessage[];
  changes: MessageChange[];
}

export type LiveAction =
  | { type: 'received'; message: ChatMessage }
  | { type: 'sending'; clientMessageId: string; text: string; createdAt: string; replyTo?: ReplyTarget | null }
  | { type: 'changed'; change: MessageChange }
  | { type: 'failed'; clientMessageId: string; error: string }
  | { type: 'discarded'; clientMessageId: string };

export const emptyLiveState: LiveState = { live: [], pending: [], changes: [] };

function insertSorted(list: ChatMessage[], message: ChatMessage): ChatMessage[] {
  if (list.some((m) => m.id === message.id)) return list;
  const next = [...list, message];
  // Almost always already last; sort only when a message overtook another.
  const prev = list[list.length - 1];
  if (prev && compareIds(prev.id, message.id) > 0) next.sort((a, b) => compareIds(a.id, b.id));
  return next;
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  switch (action.type) {
    case 'received': {
      // The echo and the mutation's answer carry the same message; whichever comes first confirms it.
      const { clientMessageId } = action.message;
      const pending = clientMessageId ? state.pending.filter((p) => p.clientMessageId !== clientMessageId) : state.pending;
      const live = insertSorted(state.live, action.message);
      return live === state.live && pending.length === state.pending.length ? state : { ...state, live, pending };
    }
    case 'sending': {
      const rest = state.pending.filter((p) => p.clientMessageId !== action.clientMessageId);
      const previous = state.pending.find((p) => p.clientMessageId === action.clientMessageId);
      const entry: PendingMessage = {
        clientMessageId: action.clientMessageId,
        text: action.text,
        createdAt: previous?.createdAt ?? action.createdAt,
        status: 'sending',
        error: null,
        replyTo: action.replyTo ?? previous?.replyTo ?? null,
      };
      // A retry keeps its place in the queue.
      return { ...state, pending: previous ? state.pending.map((p) => (p === previous ? entry : p)) : [...rest, entry] };
    }
    case 'failed':
      return {
        ...state,
        pending: state.pending.map((p) => (p.clientMessageId === action.clientMessageId ? { ...p, status: 'failed', error: action.error } : p)),
      };
    case 'changed':
      // Kept in order and applied over every history page when the timeline is built, so a page read
      // before or after the change shows it either way.
      return { ...state, changes: [...state.changes, action.change] };
    case 'discarded':
      return { ...state, pending: state.pending.filter((p) => p.clientMessageId !== action.clientMessageId) };
  }
}
