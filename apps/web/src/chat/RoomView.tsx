import type { RoomListItem } from '../rooms/room-types';
import { type RefObject, useCallback, useEffect, useState } from 'react';
import type { ChatMessage } from '../api/trpc';
import { TypingIndicator } from '../presence/TypingIndicator';
import type { TypingUsers } from '../presence/typing-users';
import { useTypingSignal } from '../presence/use-typing-signal';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { newMessagesDividerKey, type ReadMark } from './new-messages-divider';
import { useChatMessages } from './use-chat-messages';
import { usePageVisible } from './use-page-visible';

/** The open room's timeline, as the event stream sees it: messages of `roomId` go to `receive`. */
export interface RoomSink {
  roomId: string;
  receive(message: ChatMessage): void;
}

interface Props {
  room: RoomListItem;
  me: { id: string; username: string };
  typingUsers: TypingUsers;
  /** Where the app's one event stream hands this room's new messages. */
  sink: RefObject<RoomSink | null>;
  onRead(roomId: string, messageId: string): void;
  /** Whether the user sees the room's newest messages as they come (page visible, list at its end). */
  onReadingChange(reading: boolean): void;
  draft: string;
  setDraft(draft: string): void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
}

/** One open room: its timeline from the newest page, the "new messages" line, typing and the composer. */
export function RoomView({ room, me, typingUsers, sink, onRead, onReadingChange, draft, setDraft, composerRef }: Props) {
  const chat = useChatMessages(room.id, me);
  const receive = chat.receive;
  useEffect(() => {
    const mine: RoomSink = { roomId: room.id, receive };
    sink.current = mine;
    return () => {
      if (sink.current === mine) sink.current = null;
    };
  }, [sink, receive, room.id]);

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
        />
      )}
      <TypingIndicator users={typingUsers} />
      <Composer ref={composerRef} draft={draft} onDraftChange={onDraftChange} onSend={chat.send} />
    </>
  );
}
