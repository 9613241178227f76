import type { ThreadPage } from '@chat/api';
import { applyThreadEvent, fromThreadPages, newClientMessageId, refusalSentence, threadPage, type ThreadView } from '@chat/client/core';
import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import type { DurableEvent } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { MessageEditor } from '../composer/MessageEditor';
import { DeleteMessageDialog } from '../messages/DeleteMessageDialog';
import { messageActionError } from '../messages/message-action-errors';
import { MessageText } from '../messages/MessageText';
import { formatFull, formatTime } from '../text/format-time';
import { Avatar } from '../ui/Avatar';
import './Threads.css';

/** Where the app's one event stream hands events to the open thread. */
export type ThreadSink = RefObject<((event: DurableEvent) => void) | null>;

interface Props {
  rootId: string;
  roomName: string;
  me: { id: string; username: string };
  sink: ThreadSink;
  onClose(): void;
}

/**
 * One thread beside the room (a sheet on a phone): its root, its replies as thread.history and the
 * stream's events fold them (`applyThreadEvent`, the core's), a composer with "also send to the room",
 * and the read mark moved to the newest reply while it is on screen.
 */
export function ThreadPanel({ rootId, roomName, me, sink, onClose }: Props) {
  const history = trpc.thread.history.useQuery({ rootId, limit: 100 }, { staleTime: Infinity, gcTime: 0, refetchOnReconnect: false });
  const [view, setView] = useState<ThreadView | null>(null);
  // Events that came before the page: applied on top of it (each sets absolute state).
  const early = useRef<DurableEvent[]>([]);
  const current = useRef<ThreadView | null>(null);
  useEffect(() => {
    sink.current = (event) => {
      if (!current.current) early.current.push(event);
      else {
        const next = applyThreadEvent(current.current, event);
        if (next !== current.current) {
          current.current = next;
          setView(next);
        }
      }
    };
    return () => {
      sink.current = null;
    };
  }, [sink]);
  useEffect(() => {
    if (!history.data) return;
    const next = early.current.reduce(applyThreadEvent, fromThreadPages(me.id, null, [history.data as ThreadPage]));
    early.current = [];
    current.current = next;
    setView(next);
  }, [history.data, me.id]);

  const page = view ? threadPage(view) : null;
  const newest = page?.replies.at(-1)?.id ?? null;
  const markRead = trpc.thread.markRead.useMutation();
  const marked = useRef<string | null>(null);
  useEffect(() => {
    if (!newest || marked.current === newest || document.visibilityState !== 'visible') return;
    marked.current = newest;
    markRead.mutate({ rootId, messageId: newest });
  }, [newest, rootId, markRead]);

  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), [rootId]);

  return (
    <aside className="thread-panel glass" aria-label="Thread" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <header className="thread-header">
        <div>
          <h2 className="thread-title">Thread</h2>
          <p className="thread-room muted small">{roomName}</p>
        </div>
        <button ref={closeButton} type="button" className="icon-button" aria-label="Close thread" onClick={onClose}>
          ×
        </button>
      </header>
      {history.isError ? (
        <p className="thread-error" role="alert">
          {refusalSentence(history.error)}
        </p>
      ) : !page ? (
        <p className="muted small" aria-busy="true">
          Loading thread…
        </p>
      ) : (
        <>
          <ol className="thread-messages" aria-label="Replies">
            <ThreadMessage message={page.root} me={me} root />
            <li className="thread-divider" role="separator">
              <span>
                {page.replies.length} {page.replies.length === 1 ? 'reply' : 'replies'}
              </span>
            </li>
            {page.replies.map((m) => (
              <ThreadMessage key={m.id} message={m} me={me} />
            ))}
          </ol>
          <ThreadComposer rootId={rootId} />
        </>
      )}
    </aside>
  );
}

/**
 * A reply (or the root) with its own actions: a 👍, edit and delete for the author. They are the
 * room's procedures (a reply is a message); what changed comes back by the stream as thread.message.
 */
function ThreadMessage({ message, me, root = false }: { message: ChatMessage; me: { id: string; username: string }; root?: boolean }) {
  const own = message.author.id === me.id;
  const reactions = message.reactions ?? [];
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const edit = trpc.chat.edit.useMutation();
  const del = trpc.chat.delete.useMutation();
  const react = trpc.chat.react.useMutation();
  const thumbs = reactions.find((r) => r.emoji.replace(/\uFE0F/g, '') === '👍');
  return (
    <li className={`thread-message${root ? ' thread-root' : ''}`} data-message-id={message.id}>
      <Avatar name={message.author.username} size="sm" />
      <div className="thread-message-body">
        <header className="message-meta">
          <span className="message-author">{own ? 'You' : message.author.username}</span>
          <time dateTime={message.createdAt} title={formatFull(message.createdAt)}>
            {formatTime(message.createdAt)}
          </time>
          {message.alsoInRoom && <span className="muted small"> · also sent to the room</span>}
        </header>
        {message.deleted ? (
          <p className="message-deleted-text">{root ? 'Original message deleted' : message.deleted.by === 'moderator' ? 'Removed by a moderator' : 'Message deleted'}</p>
        ) : editing ? (
          <MessageEditor
            text={message.text}
            onSave={async (text) => {
              try {
                await edit.mutateAsync({ messageId: message.id, text });
                setEditing(false);
                return null;
              } catch (err) {
                return messageActionError(err);
              }
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <MessageText text={message.text} me={me.username} mentions={message.mentions} />
        )}
        {!message.deleted && !editing && (
          <div className="thread-actions" role="toolbar" aria-label="Reply actions">
            <button
              type="button"
              className="link-button small"
              aria-pressed={thumbs?.me ?? false}
              onClick={() => react.mutate({ messageId: message.id, emoji: '👍', on: !(thumbs?.me ?? false) }, { onError: (err) => setError(messageActionError(err)) })}
            >
              👍
            </button>
            {own && (
              <>
                <button type="button" className="link-button small" onClick={() => setEditing(true)}>
                  Edit
                </button>
                <button type="button" className="link-button small" onClick={() => setDeleting(true)}>
                  Delete
                </button>
              </>
            )}
          </div>
        )}
        {error && (
          <p className="thread-error small" role="alert">
            {error}
          </p>
        )}
        {deleting && (
          <DeleteMessageDialog
            onDelete={async () => {
              await del.mutateAsync({ messageId: message.id });
            }}
            onClose={() => setDeleting(false)}
          />
        )}
        {reactions.length > 0 && (
          <p className="thread-reactions small">
            {reactions.map((r) => (
              <span key={r.emoji} className={`thread-reaction${r.me ? ' mine' : ''}`}>
                {r.emoji} {r.count}
              </span>
            ))}
          </p>
        )}
      </div>
    </li>
  );
}

/** The reply arrives back by the stream (thread.message, or message.created when also sent to the room). */
function ThreadComposer({ rootId }: { rootId: string }) {
  const [text, setText] = useState('');
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reply = trpc.thread.reply.useMutation();
  // One id per message being written: a retry after a lost answer is the same reply.
  const [clientMessageId, setClientMessageId] = useState(newClientMessageId);
  const send = () => {
    if (!text.trim() || reply.isPending) return;
    setError(null);
    reply.mutate(
      { rootId, text, clientMessageId, alsoSendToRoom: alsoToRoom },
      {
        onSuccess: () => {
          setText('');
          // As Slack: "also send" is per reply, so the next one starts unticked.
          setAlsoToRoom(false);
          setClientMessageId(newClientMessageId());
        },
        onError: (err) => setError(refusalSentence(err)),
      },
    );
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };
  return (
    <form
      className="thread-composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <label className="sr-only" htmlFor={`thread-reply-${rootId}`}>
        Reply in thread
      </label>
      <textarea id={`thread-reply-${rootId}`} className="thread-input" rows={2} placeholder="Reply in thread…" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      <div className="thread-composer-row">
        <label className="thread-also">
          <input type="checkbox" checked={alsoToRoom} onChange={(e) => setAlsoToRoom(e.target.checked)} /> Also send to the room
        </label>
        <button type="submit" className="btn btn-primary btn-small" disabled={!text.trim() || reply.isPending}>
          Reply
        </button>
      </div>
      {error && (
        <p className="thread-error small" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
