import { newClientMessageId } from '@chat/client/core';
import { forwardRef, useState } from 'react';
import type { ReplyTarget } from '../api/room-types';
import { Composer } from '../composer/Composer';
import { useOutbox } from '../outbox/OutboxContext';

interface Props {
  rootId: string;
  roomId: string;
  meId: string;
  /** The message of the thread being quoted, until sent or cancelled. */
  quote: ReplyTarget | null;
  onCancelQuote(): void;
  onSent(): void;
  onEditLast(): boolean;
}

/**
 * The room's composer, answering in the thread: the reply goes into the account's outbox (decision 133)
 * with its own clientMessageId, so offline it waits in place and is delivered once, in the order typed.
 */
export const ThreadComposer = forwardRef<HTMLTextAreaElement, Props>(function ThreadComposer({ rootId, roomId, meId, quote, onCancelQuote, onSent, onEditLast }, ref) {
  const outbox = useOutbox();
  const [text, setText] = useState('');
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = (typed: string) => {
    setError(null);
    outbox
      .add(
        {
          kind: 'reply',
          input: { rootId, text: typed, clientMessageId: newClientMessageId(), ...(alsoToRoom ? { alsoSendToRoom: true } : {}), ...(quote ? { replyTo: quote.id } : {}) },
          quote,
        },
        roomId,
      )
      .catch(() => {
        // The browser could not keep it (storage refused): the text comes back to be sent again.
        setText(typed);
        setError('Not sent: this browser could not keep the reply. Try again.');
      });
    // As Slack: "also send" is per reply, so the next one starts unticked.
    setAlsoToRoom(false);
    onSent();
  };
  return (
    <div className="thread-composer">
      <Composer
        ref={ref}
        draft={text}
        onDraftChange={setText}
        onSend={send}
        replyTo={quote}
        meId={meId}
        roomId={roomId}
        onCancelReply={onCancelQuote}
        onEditLast={onEditLast}
        label="Reply in thread"
        placeholder="Reply in thread…"
        sendLabel="Send reply"
      />
      <label className="thread-also">
        <input type="checkbox" checked={alsoToRoom} onChange={(e) => setAlsoToRoom(e.target.checked)} /> Also send to the room
      </label>
      {error && (
        <p className="thread-error small" role="alert">
          {error}
        </p>
      )}
    </div>
  );
});
