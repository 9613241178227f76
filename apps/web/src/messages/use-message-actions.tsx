import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { RoomListItem } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { type OpenPicker, pickerPosition, ReactionPopover } from '../reactions/ReactionPopover';
import { messageActionError } from './message-action-errors';
import type { MessageActions } from './message-actions';
import type { MessageOps } from './use-message-ops';
import { lazyComponent } from '../ui/lazy-component';

// Loaded with their first opening (docs/decisions/164).
const DeleteMessageDialog = lazyComponent(() => import('./DeleteMessageDialog').then((m) => m.DeleteMessageDialog));
const ReportMessageDialog = lazyComponent(() => import('./ReportMessageDialog').then((m) => m.ReportMessageDialog));

interface Options {
  me: { id: string; username: string };
  /** The messages' room, for who may moderate it; null while it is not known (no moderator's Remove then). */
  room: Pick<RoomListItem, 'kind' | 'createdBy' | 'group'> | null;
  /** Offer Pin/Unpin where the user may (the room's list; a thread's replies cannot be pinned). */
  pins?: boolean;
  ops: MessageOps;
  /** Quotes the message in the list's composer. */
  reply(message: ChatMessage): void;
  /** Opens the message's thread (a list without it, a thread's own, offers none: threads do not nest). */
  openThread?(message: ChatMessage): void;
  jumpTo(messageId: string): void;
  /** Where the caret goes back after an edit (the list's composer). */
  focusComposer(): void;
}

/**
 * What a message's controls do, for any list of messages (the room's, a thread's): one stable
 * `MessageActions`, the inline editor's message, and what the actions open (the reaction picker,
 * the delete and report dialogs) and the line saying why one failed, for the list to render.
 */
export function useMessageActions({ me, room, ops, reply, openThread, jumpTo, focusComposer, pins = false }: Options) {
  const [editingId, setEditingId] = useState<string | null>(null);
  const [picker, setPicker] = useState<OpenPicker | null>(null);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const [reporting, setReporting] = useState<ChatMessage | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const report = trpc.chat.report.useMutation();
  const pinMutation = trpc.chat.pin.useMutation();
  const unpinMutation = trpc.chat.unpin.useMutation();
  // Decision 110's rule, only to decide what to show: the server checks it again on every delete.
  const role = trpc.auth.role.useQuery(undefined, { staleTime: 60_000 }).data?.role;
  const canModerate = room !== null && room.kind !== 'dm' && !room.group && (room.createdBy === me.id || role === 'admin' || role === 'owner');
  // Decision 154's rule, only to decide what to show: a channel's moderators; every member elsewhere.
  const canPin = pins && room !== null && (room.kind !== 'channel' || canModerate);

  // Read by the actions below, which stay one object so the list's messages stay memoised.
  const latest = useRef({ ops, reply, openThread, focusComposer, pinMutation, unpinMutation });
  useEffect(() => {
    latest.current = { ops, reply, openThread, focusComposer, pinMutation, unpinMutation };
  });
  const threads = openThread !== undefined;
  const actions = useMemo<MessageActions>(
    () => ({
      react: (message, emoji, on) => {
        setActionError(null);
        latest.current.ops.react(message.id, emoji, on).catch((err: unknown) => setActionError(messageActionError(err)));
      },
      pickReaction: (message, anchor) => setPicker({ message, at: pickerPosition(anchor.getBoundingClientRect()), anchor }),
      reply: (message) => latest.current.reply(message),
      ...(threads ? { openThread: (message: ChatMessage) => latest.current.openThread?.(message) } : {}),
      startEdit: (messageId) => setEditingId(messageId),
      saveEdit: async (messageId, text) => {
        try {
          await latest.current.ops.edit(messageId, text);
          setEditingId(null);
          latest.current.focusComposer();
          return null;
        } catch (err) {
          return messageActionError(err);
        }
      },
      cancelEdit: () => {
        setEditingId(null);
        latest.current.focusComposer();
      },
      remove: (message) => setDeleting(message),
      removePreview: (message) => {
        setActionError(null);
        latest.current.ops.removePreview(message.id).catch((err: unknown) => setActionError(messageActionError(err)));
      },
      report: (message) => setReporting(message),
      canModerate,
      // The list's pin marks change through message.pinned and message.unpinned, on every device.
      ...(canPin
        ? {
            pin: (message: ChatMessage, on: boolean) => {
              setActionError(null);
              const mutation = on ? latest.current.pinMutation : latest.current.unpinMutation;
              mutation.mutateAsync({ messageId: message.id }).catch((err: unknown) => setActionError(messageActionError(err)));
            },
          }
        : {}),
      jumpTo,
    }),
    [jumpTo, canModerate, canPin, threads],
  );

  const errorLine = actionError && (
    <p className="jump-status action-error" role="alert">
      {actionError}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setActionError(null)}>
        ×
      </button>
    </p>
  );
  const overlays = (
    <Suspense fallback={null}>
      {picker && <ReactionPopover picker={picker} react={actions.react} onClose={() => setPicker(null)} />}
      {deleting && (
        <DeleteMessageDialog
          asModerator={deleting.author.id === me.id ? undefined : { author: deleting.author.username }}
          onDelete={(reason) => ops.remove(deleting.id, reason)}
          onClose={() => setDeleting(null)}
        />
      )}
      {reporting && (
        <ReportMessageDialog
          author={reporting.author.username}
          onReport={async (reason) => void (await report.mutateAsync({ messageId: reporting.id, reason }))}
          onClose={() => setReporting(null)}
        />
      )}
    </Suspense>
  );
  return { actions, editingId, setEditingId, errorLine, overlays };
}
