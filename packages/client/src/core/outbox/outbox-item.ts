import type { AppRouter } from '@chat/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

type ChatInputs = inferRouterInputs<AppRouter>['chat'];
type ThreadInputs = inferRouterInputs<AppRouter>['thread'];
/** The quote a reply shows, as the composer showed it, so a queued reply looks the same after a reload. */
type ReplyQuote = NonNullable<inferRouterOutputs<AppRouter>['chat']['send']['replyTo']>;

/**
 * A file going with a queued message (issue 24): already uploaded (`attachmentId`), or kept as `blob` until the
 * outbox delivers the message, which uploads it first (the web keeps the Blob in IndexedDB with the item, so it
 * survives a reload). Shown with the pending message either way.
 */
export interface OutboxFile {
  localId: string;
  name: string;
  /** The browser's guess, for the preview only: the server decides the type from the bytes. */
  type: string;
  size: number;
  attachmentId?: string;
  blob?: Blob;
}

/** What a user asked for, exactly as the server's procedure takes it (typed from the router). */
export type OutboxAction =
  | {
      kind: 'send';
      /** With `files`, `attachmentIds` is left out: the delivery sends the files' ids, in their order. */
      input: ChatInputs['send'] & { clientMessageId: string };
      quote?: ReplyQuote | null;
      files?: OutboxFile[];
    }
  | {
      kind: 'reply';
      /** A reply in the thread of `input.rootId`; its clientMessageId makes a retry the same reply, as a send's. */
      input: ThreadInputs['reply'] & { clientMessageId: string };
      quote?: ReplyQuote | null;
    }
  | { kind: 'edit'; input: ChatInputs['edit'] }
  | { kind: 'react'; input: ChatInputs['react'] };

/**
 * - `pending`: waiting its turn, or being retried (the next try with the same input)
 * - `sending`: a try is in flight (never stored: after a reload an item is pending again)
 * - `failed`: the server refused it in a way retrying cannot fix; `reason` says why and what to do
 */
export type OutboxState = { status: 'pending' } | { status: 'sending' } | { status: 'failed'; reason: string };

export type OutboxItem = OutboxAction & {
  /** Unique per item; for a send or a thread reply it is the message's clientMessageId, which makes its retries idempotent. */
  id: string;
  /** Queue order (the order typed), across rooms. */
  seq: number;
  /** The room it belongs to, for showing it in place (edits and reactions name a message, not a room); null where nobody shows it (a bot's). */
  roomId: string | null;
  /** When the user acted (ISO), shown until the server's own time arrives. */
  createdAt: string;
  state: OutboxState;
};
