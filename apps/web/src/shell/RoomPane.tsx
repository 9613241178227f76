import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { type Dispatch, memo, type RefObject } from 'react';
import type { RoomListItem } from '../api/room-types';
import { type ChatMessage, trpc } from '../api/trpc';
import { NotificationPrompt } from '../notifications/NotificationPrompt';
import { OfflineRoom } from './OfflineRoom';
import type { Notifications } from '../notifications/use-notifications';
import type { OnlineUsers } from '../people/online-users';
import { typingIn } from '../people/typing-by-room';
import { withDisplayNames } from '../people/shown-name';
import { roomPeople } from '../rooms/room-names';
import { MembersPanel } from '../rooms/MembersPanel';
import { roomErrorMessage } from '../rooms/room-errors';
import { RoomHeader } from '../rooms/RoomHeader';
import { RoomNotFound } from '../rooms/RoomNotFound';
import type { RoomRelay } from '../rooms/room-relay';
import { RoomView } from '../rooms/RoomView';
import type { useConversations } from '../rooms/use-conversations';
import type { ShellAction, ShellState } from './shell-state';

interface Props {
  state: ShellState;
  dispatch: Dispatch<ShellAction>;
  me: { id: string; username: string };
  conversations: ReturnType<typeof useConversations>;
  /** The open room, null when the route names none the user is in. */
  room: RoomListItem | null;
  online: OnlineUsers;
  notifications: Notifications;
  relay: RoomRelay;
  draft: string;
  setDraft(draft: string): void;
  composerRef: RefObject<HTMLTextAreaElement | null>;
  onReadingChange(reading: boolean): void;
  openRoom(roomId: string, replace?: boolean): void;
  /** Opens (or makes) the direct conversation with a user. */
  message(userId: string): void;
  /** Set while the rooms are this browser's kept copy (the server out of reach at start): the open room as kept. */
  offline: { room: RoomListItem | null; page: readonly ChatMessage[] | undefined } | null;
  /** The open room's pinned messages (null until read) and whether their panel is open. */
  pins: { count: number | null; ids: ReadonlySet<string>; open: boolean; toggle(): void };
}

/** The middle of the shell: the notice, the open room's header, members and view, or why there is none. */
export const RoomPane = memo(function RoomPane({ state, dispatch, me, conversations, room, online, notifications, relay, draft, setDraft, composerRef, onReadingChange, openRoom, message, offline, pins }: Props) {
  const leave = trpc.room.leave.useMutation();
  const { rooms } = conversations;
  const onlineIds = new Set(online.map((u) => u.id));
  const { notice, membersOpen, jump } = state;
  const typing = room ? typingIn(conversations.typing, room.id) : [];
  // A channel's typers are named from its member list (the panel's and the composer's query); a DM's or group's from the room.
  const channel = room !== null && room.id !== EVERYONE_ROOM_ID && !room.peer && !room.group;
  const members = trpc.room.members.useQuery({ roomId: room?.id ?? EVERYONE_ROOM_ID }, { enabled: channel && typing.length > 0, staleTime: 60_000 });
  return (
    <main className="chat-main glass" aria-labelledby="room-title">
      <NotificationPrompt notifications={notifications} />
      {notice && (
        <p className="room-notice" role="status">
          {notice}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dispatch({ type: 'notice-shown', notice: null })}>
            ×
          </button>
        </p>
      )}
      {offline ? (
        <OfflineRoom room={offline.room} me={me} page={offline.page} draft={draft} setDraft={setDraft} />
      ) : conversations.status === 'error' ? (
        <div className="chat-placeholder" role="alert">
          Could not load your rooms.
          <button type="button" className="btn btn-secondary btn-small" onClick={conversations.retry}>
            Try again
          </button>
        </div>
      ) : !rooms ? (
        <div className="chat-placeholder" aria-busy="true">
          <span className="spinner" aria-hidden="true" /> Loading rooms…
        </div>
      ) : !room ? (
        <RoomNotFound onHome={() => openRoom(EVERYONE_ROOM_ID)} />
      ) : (
        <>
          <RoomHeader
            room={room}
            meId={me.id}
            peerOnline={room.peer ? onlineIds.has(room.peer.id) : false}
            membersOpen={membersOpen}
            onToggleMembers={() => dispatch({ type: 'members-toggled' })}
            onInvite={() => dispatch({ type: 'dialog-opened', dialog: 'invite' })}
            onEdit={() => dispatch({ type: 'dialog-opened', dialog: 'edit' })}
            onNotifications={() => dispatch({ type: 'dialog-opened', dialog: 'notifications' })}
            pinCount={pins.count}
            pinsOpen={pins.open}
            onTogglePins={pins.toggle}
            onConvert={() => dispatch({ type: 'dialog-opened', dialog: 'convert' })}
            leaving={leave.isPending}
            onLeave={() =>
              leave.mutate(
                { roomId: room.id },
                { onSuccess: () => openRoom(EVERYONE_ROOM_ID, true), onError: (error) => dispatch({ type: 'notice-shown', notice: roomErrorMessage(error) }) },
              )
            }
          />
          {membersOpen && <MembersPanel room={room} meId={me.id} online={online} onMessage={message} />}
          <RoomView
            key={`${room.id}:${state.generation}`}
            room={room}
            me={me}
            typingUsers={withDisplayNames(typing, [...roomPeople(room), ...(members.data ?? [])])}
            relay={relay}
            onRead={conversations.read}
            onReadingChange={onReadingChange}
            draft={draft}
            setDraft={setDraft}
            composerRef={composerRef}
            jumpTo={jump?.roomId === room.id ? jump : null}
            onOpenThread={(rootId) => dispatch({ type: 'thread-opened', rootId, roomId: room.id })}
            pinnedIds={pins.ids}
          />
        </>
      )}
    </main>
  );
});
