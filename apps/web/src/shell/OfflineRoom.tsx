import { newClientMessageId } from '@chat/client/core';
import { useMemo } from 'react';
import type { RoomListItem } from '../api/room-types';
import type { ChatMessage } from '../api/trpc';
import { Composer } from '../composer/Composer';
import { holdDraftUntil } from '../composer/draft-store';
import { isChange, type PendingMessage, pendingOf } from '../messages/live-messages';
import { MessageList } from '../messages/MessageList';
import { buildTimeline } from '../messages/timeline';
import { useOutbox, useOutboxItems } from '../outbox/OutboxContext';
import { RoomHeading } from '../rooms/RoomHeader';

interface Props {
  /** The open room as it was kept, or null when the address names none of the kept rooms. */
  room: RoomListItem | null;
  me: { id: string; username: string };
  /** Its newest page as it was kept, if it was opened before. */
  page: readonly ChatMessage[] | undefined;
  /** The room's draft, kept across reloads like the live room's. */
  draft: string;
  setDraft(draft: string): void;
}

const noOlder = () => undefined;

/**
 * The open room while the server cannot be reached at start: as this browser last saw it, with the
 * user's queued messages in place. What the user writes goes into the outbox, as in the live room, and
 * is sent when the connection is back; reactions, edits and threads wait for the live room.
 */
export function OfflineRoom({ room, me, page, draft, setDraft }: Props) {
  const outbox = useOutbox();
  const queued = useOutboxItems();
  const roomId = room?.id ?? null;
  const items = useMemo(() => {
    const pending = queued.flatMap((item): PendingMessage[] => (item.kind === 'send' && item.roomId === roomId ? [pendingOf(item, false)] : []));
    const changes = queued.filter((item) => isChange(item) && item.roomId === roomId);
    return buildTimeline(page ? [page] : [], [], pending, me, [], false, changes);
  }, [queued, roomId, page, me]);
  const send = (text: string) => {
    if (!room) return;
    // The draft stays stored until the outbox holds the message, so a reload in between loses nothing.
    holdDraftUntil(me.id, room.id, text, outbox.add({ kind: 'send', input: { roomId: room.id, text, clientMessageId: newClientMessageId() } }, room.id));
  };
  return (
    <>
      <p className="room-notice offline-notice" role="status">
        Offline — messages will be sent when the connection is back
      </p>
      {room && (
        <div className="room-header">
          <RoomHeading room={room} meId={me.id} peerOnline={false} topic="As of your last visit" />
        </div>
      )}
      <MessageList
        items={items}
        me={me}
        hasOlder={false}
        loadingOlder={false}
        loadOlder={noOlder}
        onRetry={(p) => outbox.retry(p.clientMessageId)}
        onDiscard={(p) => void outbox.discard(p.clientMessageId)}
        beginning={null}
        empty={room ? 'This room’s messages were not kept in this browser; they show once the connection is back.' : 'This room was not kept in this browser; it shows once the connection is back.'}
      />
      {room && (
        <div className="composer-slot">
          <Composer draft={draft} onDraftChange={setDraft} onSend={send} placeholder="Write a message… it is sent when the connection is back" />
        </div>
      )}
    </>
  );
}
