import { compareIds, type MessageChange, type OutboxFile, type OutboxItem } from '@chat/client/core';
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
  /** Files going with it, shown from the browser's copy until the server's arrive. */
  files?: OutboxFile[];
}

/** A send or thread reply still in the outbox, as its list shows it until the server's copy arrives. */
export function pendingOf(item: Extract<OutboxItem, { kind: 'send' | 'reply' }>, connected: boolean): PendingMessage {
  const { state } = item;
  return {
    clientMessageId: item.id,
    text: item.input.text,
    createdAt: item.createdAt,
    status: state.status === 'failed' ? 'failed' : connected || state.status === 'sending' ? 'sending' : 'queued',
    error: state.status === 'failed' ? state.reason : null,
    replyTo: item.quote ?? null,
    ...(item.kind === 'send' && item.files?.length ? { files: item.files } : {}),
  };
}

/** An edit or a reaction: shown over a message already in the list (a send or a thread reply is a message of its own). */
export const isChange = (item: OutboxItem): item is Extract<OutboxItem, { kind: 'edit' | 'react' }> => item.kind === 'edit' || item.kind === 'react';

/**
 * What arrived after the first history page: live echoes (the user's own sends' answers too) and changes to
 * messages (edits, deletes, reactions). The user's sends still on their way are the outbox's (decision 133).
 */
export interface LiveState {
  live: ChatMessage[];
  changes: MessageChange[];
}

export type LiveAction = { type: 'received'; message: ChatMessage } | { type: 'changed'; change: MessageChange };

export const emptyLiveState: LiveState = { live: [], changes: [] };

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
      const live = insertSorted(state.live, action.message);
      return live === state.live ? state : { ...state, live };
    }
    case 'changed':
      // Kept in order and applied over every history page when the timeline is built, so a page read
      // before or after the change shows it either way.
      return { ...state, changes: [...state.changes, action.change] };
  }
}
