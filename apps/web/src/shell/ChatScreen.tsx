import type { MessageChangeEvent, RoomListItem, RoomMessage } from '../api/room-types';
import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { AccountMenu } from '../account/AccountMenu';
import { type PublicUser, trpc } from '../api/trpc';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import { MessageSearch } from '../search/MessageSearch';
import { NotificationPrompt } from '../notifications/NotificationPrompt';
import { shouldNotify } from '../notifications/should-notify';
import { showNotification, useNotifications } from '../notifications/use-notifications';
import { OnlineList } from '../people/OnlineList';
import { typingIn } from '../people/typing-by-room';
import { BrowseRoomsDialog } from '../rooms/BrowseRoomsDialog';
import { CreateRoomDialog } from '../rooms/CreateRoomDialog';
import { EditRoomDialog } from '../rooms/EditRoomDialog';
import { InviteDialog } from '../rooms/InviteDialog';
import { MembersPanel } from '../rooms/MembersPanel';
import { roomErrorMessage } from '../rooms/room-errors';
import { RoomHeader } from '../rooms/RoomHeader';
import { roomTitle } from '../rooms/room-names';
import { RoomNotFound } from '../rooms/RoomNotFound';
import { RoomSidebar } from '../rooms/RoomSidebar';
import { useConversations } from '../rooms/use-conversations';
import { useRoomRoute } from '../rooms/use-room-route';
import { KeyboardTips } from './KeyboardTips';
import { ProfileCard } from '../people/ProfileCard';
import { UserSearch } from '../people/UserSearch';
import type { Session } from '../session/session-store';
import { BrandMark } from '../ui/BrandMark';
import { appendMention } from '../composer/composer-state';
import { plainText } from '../text/message-markdown';
import { type RoomSink, RoomView } from '../rooms/RoomView';
import { useUnreadTitle } from './use-unread-title';
import './ChatScreen.css';

interface Props {
  session: Session;
  onLogout(): void;
  /** Resolves once every session ended (this one included); rejects when the server could not be asked. */
  onLogoutEverywhere(): Promise<void>;
}

type Dialog = 'create' | 'browse' | 'invite' | 'edit' | null;

export function ChatScreen({ session, onLogout, onLogoutEverywhere }: Props) {
  const me = useMemo(() => ({ id: session.user.id, username: session.user.username }), [session.user.id, session.user.username]);
  // Proves the stored token still works after a reload; a refusal signs out through the QueryClient.
  trpc.auth.me.useQuery(undefined, { retry: false, staleTime: Infinity });
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();

  const [routeRoomId, openRoute] = useRoomRoute();
  const openRoomId = routeRoomId === 'invalid' ? null : routeRoomId;
  const [roomsOpen, setRoomsOpen] = useState(false);
  const [peopleOpen, setPeopleOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped on resync: the open room is read afresh.
  const [generation, setGeneration] = useState(0);
  const openRoom = useCallback(
    (roomId: string, replace = false) => {
      openRoute(roomId, replace);
      setRoomsOpen(false);
      setMembersOpen(false);
      setNotice(null);
    },
    [openRoute],
  );

  // A message shown in context: a search result or a notification opens its room and scrolls there.
  const [jump, setJump] = useState<{ roomId: string; messageId: string; nonce: number } | null>(null);
  const openInContext = useCallback(
    (roomId: string, messageId: string) => {
      openRoom(roomId);
      setJump({ roomId, messageId, nonce: Date.now() });
    },
    [openRoom],
  );
  const [searchOpen, setSearchOpen] = useState(false);

  const notifications = useNotifications();
  const [announcement, setAnnouncement] = useState('');
  const countUnread = useUnreadTitle();
  const sink = useRef<RoomSink | null>(null);
  // Read by the stream's callbacks, which keep one identity.
  const roomsNow = useRef<readonly RoomListItem[] | undefined>(undefined);
  const allowedNow = useRef(false);
  const onMessage = useCallback(
    (m: RoomMessage) => {
      const open = sink.current;
      if (open?.roomId === m.roomId) open.receive(m);
      if (m.author.id === me.id) return;
      if (open?.roomId === m.roomId) setAnnouncement(`${m.author.username}: ${m.text.slice(0, 200)}`);
      countUnread();
      const room = roomsNow.current?.find((r) => r.id === m.roomId);
      if (shouldNotify({ message: m, roomKind: room?.kind ?? null, meId: me.id, hidden: document.visibilityState === 'hidden', allowed: allowedNow.current })) {
        const title = room?.kind === 'dm' ? m.author.username : `${m.author.username} in ${room ? roomTitle(room) : 'a room'}`;
        showNotification(title, plainText(m.text).slice(0, 200), m.id, () => openInContext(m.roomId, m.id));
      }
    },
    [me.id, countUnread, openInContext],
  );
  const onMessageChange = useCallback((event: MessageChangeEvent) => {
    const open = sink.current;
    if (open?.roomId === event.roomId) open.change(event);
  }, []);
  // The open room's new messages count as unread while the user is not looking at them.
  const [reading, setReading] = useState(true);
  const conversations = useConversations(me.id, reading ? openRoomId : null, {
    onMessage,
    onMessageChange,
    onOpenRoomGone: () => {
      openRoom(EVERYONE_ROOM_ID, true);
      setNotice('You are no longer a member of that room.');
    },
    onResync: () => {
      queryClient.removeQueries({ queryKey: [['chat', 'history']] });
      setGeneration((g) => g + 1);
    },
  });
  const { rooms, online } = conversations;
  roomsNow.current = rooms;
  allowedNow.current = notifications.allowed;
  const room = rooms?.find((r) => r.id === openRoomId) ?? null;
  const totalUnread = rooms?.reduce((n, r) => n + (r.id === openRoomId ? 0 : r.unread), 0) ?? 0;
  const totalMentions = rooms?.reduce((n, r) => n + (r.id === openRoomId ? 0 : r.mentions), 0) ?? 0;
  const onlineIds = new Set(online.map((u) => u.id));

  // Drafts per room: switching rooms keeps what was being written in each.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const draft = openRoomId ? (drafts[openRoomId] ?? '') : '';
  const setDraft = useCallback((next: string) => openRoomId && setDrafts((d) => ({ ...d, [openRoomId]: next })), [openRoomId]);
  const composer = useRef<HTMLTextAreaElement>(null);
  const [profile, setProfile] = useState<PublicUser | null>(null);

  const mention = (user: PublicUser) => {
    setDraft(appendMention(draft, user.username));
    setPeopleOpen(false);
    composer.current?.focus();
    // The caret goes after the mention once React has put it in the textarea.
    requestAnimationFrame(() => {
      const el = composer.current;
      el?.setSelectionRange(el.value.length, el.value.length);
    });
  };

  const openDirect = trpc.room.openDirect.useMutation();
  const message = (userId: string) =>
    openDirect.mutate(
      { userId },
      {
        onSuccess: async (dm) => {
          // In the list before it is opened, so the deep link finds it.
          await utils.room.list.invalidate();
          setPeopleOpen(false);
          setProfile(null);
          openRoom(dm.id);
        },
        onError: (error) => setNotice(roomErrorMessage(error)),
      },
    );
  const leave = trpc.room.leave.useMutation();
  const joinedAndOpen = async (roomId: string) => {
    await utils.room.list.invalidate();
    openRoom(roomId);
  };

  return (
    <div
      className="chat-app"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        if (peopleOpen) setPeopleOpen(false);
        if (roomsOpen) setRoomsOpen(false);
        if (membersOpen) setMembersOpen(false);
      }}
    >
      <header className="topbar glass">
        <button
          type="button"
          className="btn btn-ghost rooms-toggle"
          aria-expanded={roomsOpen}
          aria-controls="room-sidebar"
          onClick={() => {
            setRoomsOpen((o) => !o);
            setPeopleOpen(false);
          }}
        >
          Rooms
          {totalMentions > 0 && (
            <span className="mention-badge">
              <span className="sr-only">, </span>@{totalMentions > 99 ? '99+' : totalMentions}
              <span className="sr-only"> {totalMentions === 1 ? 'mention' : 'mentions'}</span>
            </span>
          )}
          {totalUnread > 0 && (
            <span className="unread-badge">
              <span className="sr-only">, </span>
              {totalUnread > 99 ? '99+' : totalUnread}
              <span className="sr-only"> unread</span>
            </span>
          )}
        </button>
        <div className="topbar-brand">
          <BrandMark size={30} />
          <span className="topbar-title">Ember</span>
        </div>
        <ConnectionStatus />
        <div className="topbar-actions">
          <button
            type="button"
            className="btn btn-ghost search-toggle"
            aria-expanded={searchOpen}
            aria-label="Search messages"
            title="Search messages"
            onClick={() => setSearchOpen((o) => !o)}
          >
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3m0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10" fill="currentColor" />
            </svg>
          </button>
          <button
            type="button"
            className="btn btn-ghost people-toggle"
            aria-expanded={peopleOpen}
            aria-controls="people-panel"
            onClick={() => {
              setPeopleOpen((o) => !o);
              setRoomsOpen(false);
            }}
          >
            People
            {online.length > 0 && (
              <span className="people-count">
                <span className="sr-only">, </span>
                {online.length}
                <span className="sr-only"> online</span>
              </span>
            )}
          </button>
          <AccountMenu username={me.username} onLogout={onLogout} onLogoutEverywhere={onLogoutEverywhere} notifications={notifications} />
        </div>
        {searchOpen && (
          <MessageSearch
            roomName={(roomId) => {
              const r = rooms?.find((x) => x.id === roomId);
              return r ? roomTitle(r) : null;
            }}
            onOpen={(roomId, messageId) => {
              setSearchOpen(false);
              openInContext(roomId, messageId);
            }}
            onClose={() => setSearchOpen(false)}
          />
        )}
      </header>

      <div className="chat-layout">
        <aside id="room-sidebar" className={`room-sidebar glass${roomsOpen ? ' open' : ''}`} aria-label="Your rooms">
          {rooms ? (
            <RoomSidebar rooms={rooms} openRoomId={openRoomId} online={online} onOpen={openRoom} onCreate={() => setDialog('create')} onBrowse={() => setDialog('browse')} />
          ) : (
            <p className="muted small">Loading rooms…</p>
          )}
        </aside>

        <main className="chat-main glass" aria-labelledby="room-title">
          <NotificationPrompt notifications={notifications} />
          {notice && (
            <p className="room-notice" role="status">
              {notice}
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </p>
          )}
          {conversations.status === 'error' ? (
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
                onToggleMembers={() => setMembersOpen((o) => !o)}
                onInvite={() => setDialog('invite')}
                onEdit={() => setDialog('edit')}
                leaving={leave.isPending}
                onLeave={() =>
                  leave.mutate(
                    { roomId: room.id },
                    { onSuccess: () => openRoom(EVERYONE_ROOM_ID, true), onError: (error) => setNotice(roomErrorMessage(error)) },
                  )
                }
              />
              {membersOpen && <MembersPanel room={room} meId={me.id} online={online} onMessage={message} />}
              <RoomView
                key={`${room.id}:${generation}`}
                room={room}
                me={me}
                typingUsers={typingIn(conversations.typing, room.id)}
                sink={sink}
                onRead={conversations.read}
                onReadingChange={setReading}
                draft={draft}
                setDraft={setDraft}
                composerRef={composer}
                jumpTo={jump?.roomId === room.id ? jump : null}
              />
            </>
          )}
        </main>

        <aside id="people-panel" className={`people-panel glass${peopleOpen ? ' open' : ''}`} aria-label="People">
          <OnlineList users={online} meId={me.id} />
          <UserSearch onSelect={setProfile} onMessage={(user) => message(user.id)} messaging={openDirect.isPending} selectedId={profile?.id ?? null} meId={me.id} />
          {profile && (
            <ProfileCard
              user={profile}
              isMe={profile.id === me.id}
              onMention={mention}
              onMessage={(user) => message(user.id)}
              messaging={openDirect.isPending}
              onClose={() => setProfile(null)}
            />
          )}
          <KeyboardTips />
        </aside>
      </div>

      {/* A tap beside an open sheet closes it; the keyboard has Escape and the toggles. */}
      {(roomsOpen || peopleOpen) && (
        <div
          className="sheet-scrim"
          aria-hidden="true"
          onClick={() => {
            setRoomsOpen(false);
            setPeopleOpen(false);
          }}
        />
      )}

      {dialog === 'create' && <CreateRoomDialog onCreated={(created) => void joinedAndOpen(created.id)} onClose={() => setDialog(null)} />}
      {dialog === 'browse' && <BrowseRoomsDialog onOpen={(roomId) => void joinedAndOpen(roomId)} onClose={() => setDialog(null)} />}
      {dialog === 'invite' && room && <InviteDialog room={room} memberIds={new Set(utils.room.members.getData({ roomId: room.id })?.map((u) => u.id) ?? [])} onClose={() => setDialog(null)} />}
      {dialog === 'edit' && room && <EditRoomDialog room={room} onClose={() => setDialog(null)} />}

      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
    </div>
  );
}
