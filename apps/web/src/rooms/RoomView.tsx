import type { OutboxFile } from '@chat/client/core';
import type { ReplyTarget, RoomListItem } from '../api/room-types';
import { quoteExcerpt } from '@chat/api/schemas';
import { type RefObject, useCallback, useEffect, useState } from 'react';
import { TypingIndicator } from '../people/TypingIndicator';
import type { TypingUsers } from '../people/typing-users';
import { useTypingSignal } from '../people/use-typing-signal';
import { Composer } from '../composer/Composer';
import { holdDraftUntil } from '../composer/draft-store';
import { MessageList } from '../messages/MessageList';
import { lastOwnMessageId } from '../messages/timeline';
import { newMessagesDividerKey, type ReadMark } from '../messages/new-messages-divider';
import { useChatMessages } from '../messages/use-chat-messages';
import { useJumpToMessage } from '../messages/use-jump-to-message';
import { useMessageActions } from '../messages/use-message-actions';
import { useKeptPage } from '../offline/use-offline-snapshot';
import { usePageVisible } from '../ui/use-page-visible';
import { useFileDrop } from '../attachments/use-file-drop';
import type { RoomRelay } from './room-relay';
import { useUploads } from '../attachments/use-uploads';

interface Props {
  room: RoomListItem;
  me: { id: string; username: string };
  typingUsers: TypingUsers;
  /** Where the app's one event stream hands this room's new messages (and what came before this view mounted). */
  relay: RoomRelay;
  onRead(roomId: string, messageId: string): void;
  /** Whether the user sees the room's newest messages as they come (page visible, list at its end). */
  onReadingChange(reading: boolean): void;
  draft: string;
  setDraft(draft: string): void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  /** A message to show in context (a search result, a notification); `nonce` repeats a jump to the same one. */
  jumpTo?: { messageId: string; nonce: number } | null;
  /** Opens a message's thread beside the room. */
  onOpenThread?(rootId: string): void;
  /** The room's pinned messages (docs/decisions/154), marked in the list. */
  pinnedIds?: ReadonlySet<string>;
}

/** One open room: its timeline from the newest page, the "new messages" line, typing and the composer. */
export function RoomView({ room, me, typingUsers, relay, onRead, onReadingChange, draft, setDraft, composerRef, jumpTo: jumpRequest = null, onOpenThread, pinnedIds }: Props) {
  const chat = useChatMessages(room.id, me);
  const { receive, change } = chat;
  useKeptPage(me.id, room.id, chat.status === 'success' ? chat.timeline : null);
  useEffect(() => relay.attach({ roomId: room.id, receive, change }), [relay, receive, change, room.id]);

  // Where the user left off at the moment they opened the room; it stays put while they read.
  const [mark] = useState<ReadMark>(() => ({ lastReadMessageId: room.lastReadMessageId, unread: room.unread }));
  const dividerKey = chat.status === 'success' ? newMessagesDividerKey(chat.timeline, mark, me.id) : null;

  // The newest message counts as read once it is on screen: the list at its end, the page visible
  // (other tabs learn it by read.updated). Scrolled up in history, new messages stay unread.
  const [atBottom, setAtBottom] = useState(true);
  const reading = usePageVisible() && atBottom;
  useEffect(() => onReadingChange(reading), [reading, onReadingChange]);
  let newest: string | null = null;
  for (let i = chat.timeline.length - 1; i >= 0 && newest === null; i--) {
    const item = chat.timeline[i];
    if (item?.kind === 'message') newest = item.message.id;
  }
  useEffect(() => {
    if (newest !== null && reading) onRead(room.id, newest);
  }, [newest, reading, room.id, onRead]);

  const typingSignal = useTypingSignal(room.id);
  // Only the user's own keystrokes count as typing; a mention inserted from a profile does not.
  const onDraftChange = useCallback(
    (next: string) => {
      setDraft(next);
      typingSignal.changed(next);
    },
    [setDraft, typingSignal],
  );

  const jumper = useJumpToMessage({ ready: chat.status === 'success', timeline: chat.timeline, hasOlder: chat.hasOlder, loadingOlder: chat.loadingOlder, loadOlder: chat.loadOlder });
  const { jumpTo } = jumper;
  useEffect(() => {
    if (jumpRequest) jumpTo(jumpRequest.messageId);
  }, [jumpRequest, jumpTo]);

  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(null);
  const focusComposer = useCallback(() => composerRef.current?.focus(), [composerRef]);
  const { actions, editingId, setEditingId, errorLine, overlays } = useMessageActions({
    me,
    room,
    ops: chat,
    reply: (message) => {
      setReplyTo({ id: message.id, author: message.author, excerpt: quoteExcerpt(message.text), deleted: false });
      focusComposer();
    },
    openThread: (message) => onOpenThread?.(message.threadRootId ?? message.id),
    jumpTo,
    focusComposer,
    pins: true,
  });

  const editLast = () => {
    const id = lastOwnMessageId(chat.timeline, me.id);
    if (id) setEditingId(id);
    return id !== null;
  };
  const uploads = useUploads(room.id);
  const dragging = useFileDrop(uploads.add);
  const send = (text: string, attachmentIds?: string[], files?: OutboxFile[]) => {
    holdDraftUntil(me.id, room.id, text, chat.send(text, replyTo, attachmentIds, files));
    setReplyTo(null);
  };

  return (
    <>
      {chat.status === 'pending' ? (
        <div className="chat-placeholder" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Loading messages…
        </div>
      ) : chat.status === 'error' ? (
        <div className="chat-placeholder" role="alert">
          Could not load messages.
          <button type="button" className="btn btn-secondary btn-small" onClick={() => void chat.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <MessageList
          items={chat.timeline}
          me={me}
          hasOlder={chat.hasOlder}
          loadingOlder={chat.loadingOlder}
          loadOlder={() => void chat.loadOlder()}
          onRetry={chat.retry}
          onDiscard={chat.discard}
          dividerKey={dividerKey}
          onBottomChange={setAtBottom}
          actions={actions}
          editingId={editingId}
          highlightedId={jumper.highlightedId}
          pinnedIds={pinnedIds}
        />
      )}
      {jumper.jump && (
        <p className="jump-status" role="status">
          {jumper.jump.status === 'finding' ? (
            <>
              <span className="spinner" aria-hidden="true" /> Finding the message in older history…
            </>
          ) : (
            'That message is no longer in this room.'
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={jumper.dismiss}>
            ×
          </button>
        </p>
      )}
      {chat.refusedChanges.map((item) => (
        <p key={item.id} className="jump-status action-error" role="alert">
          {item.state.status === 'failed' ? item.state.reason : ''}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => chat.dismissRefused(item.id)}>
            ×
          </button>
        </p>
      ))}
      {errorLine}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop files to attach them to your message
        </div>
      )}
      <TypingIndicator users={typingUsers} />
      {/* The skip link's target; the link itself focuses the text box. */}
      <div id="composer" className="composer-slot">
        <Composer
          ref={composerRef}
          draft={draft}
          onDraftChange={onDraftChange}
          onSend={send}
          uploads={uploads}
          replyTo={replyTo}
          meId={me.id}
          roomId={room.id}
          onCancelReply={() => setReplyTo(null)}
          onEditLast={editLast}
        />
      </div>
      {overlays}
    </>
  );
}
