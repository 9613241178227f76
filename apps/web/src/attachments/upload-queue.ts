import { MAX_ATTACHMENTS_PER_MESSAGE } from '@chat/api/schemas';

/** One file in the composer: uploading (with its progress), ready to send, or refused (with the server's sentence). */
export type QueuedUpload =
  | { localId: string; name: string; size: number; status: 'uploading'; sent: number }
  | { localId: string; name: string; size: number; status: 'ready'; attachmentId: string }
  | { localId: string; name: string; size: number; status: 'refused'; reason: string };

export type UploadAction =
  | { type: 'added'; localId: string; name: string; size: number }
  | { type: 'progress'; localId: string; sent: number }
  | { type: 'finished'; localId: string; attachmentId: string }
  | { type: 'refused'; localId: string; reason: string }
  | { type: 'removed'; localId: string }
  | { type: 'sent' };

/** The queue's one rule-keeper: every change goes through here, so the chips and the send button agree. */
export function uploadQueue(state: readonly QueuedUpload[], action: UploadAction): QueuedUpload[] {
  switch (action.type) {
    case 'added':
      return [...state, { localId: action.localId, name: action.name, size: action.size, status: 'uploading', sent: 0 }];
    case 'progress':
      // Progress never goes back (a resumed upload reports from the server's offset) and stops once settled.
      return state.map((u) => (u.localId === action.localId && u.status === 'uploading' ? { ...u, sent: Math.max(u.sent, Math.min(action.sent, u.size)) } : u));
    case 'finished':
      return state.map((u) => (u.localId === action.localId && u.status === 'uploading' ? { localId: u.localId, name: u.name, size: u.size, status: 'ready', attachmentId: action.attachmentId } : u));
    case 'refused':
      return state.map((u) => (u.localId === action.localId && u.status === 'uploading' ? { localId: u.localId, name: u.name, size: u.size, status: 'refused', reason: action.reason } : u));
    case 'removed':
      return state.filter((u) => u.localId !== action.localId);
    case 'sent':
      // The ready files went with the message; refused ones stay, so their sentence is still read.
      return state.filter((u) => u.status !== 'ready');
  }
}

export interface QueueSummary {
  /** What `chat.send` gets, in the order the files were added. */
  attachmentIds: string[];
  uploading: boolean;
  /** Files beyond what one message may carry. */
  tooMany: boolean;
}

export function summarize(state: readonly QueuedUpload[]): QueueSummary {
  const attachmentIds = state.flatMap((u) => (u.status === 'ready' ? [u.attachmentId] : []));
  return { attachmentIds, uploading: state.some((u) => u.status === 'uploading'), tooMany: attachmentIds.length > MAX_ATTACHMENTS_PER_MESSAGE };
}

/** What to show for a refusal: the server's sentence, and a hint when it is only a status. */
export function refusalSentence(status: number, body: string): string {
  const sentence = body.trim();
  if (sentence && sentence.length <= 300 && !/<[a-z!]/i.test(sentence)) return sentence;
  if (status === 0) return 'The server could not be reached; remove the file and try again when you are online.';
  if (status === 413) return 'This file is too large; send a smaller one.';
  if (status === 429) return 'Too many uploads at once; wait a minute and try again.';
  return `The server refused this file (HTTP ${status}); remove it and try again.`;
}

export const formatBytes = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : bytes < 1024 ** 3 ? `${(bytes / 1024 ** 2).toFixed(1)} MB` : `${(bytes / 1024 ** 3).toFixed(2)} GB`;
