import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { MessageChangeEvent, RoomListItem, RoomMessage } from '../api/room-types';
import { type PublicUser, trpc } from '../api/trpc';
import { appendMention } from '../composer/composer-state';
import { followDrafts, heldDrafts, loadDrafts, saveDraft } from '../composer/draft-store';
import { useOutbox } from '../outbox/OutboxContext';
import { shouldNotify } from '../notifications/should-notify';
import { showNotification, useNotifications } from '../notifications/use-notifications';
import { messageOfUrl, useNotificationClicks } from '../notifications/service-worker';
import { useFocusReport } from '../notifications/use-focus-report';
import { useNotificationState } from '../notifications/use-notification-state';
import { useWebPush } from '../notifications/web-push';
import { usePins } from '../pins/use-pins';
import { roomErrorMessage } from '../rooms/room-errors';
import { shownName } from '../people/shown-name';
import { roomPeople, roomTitle } from '../rooms/room-names';
import { RoomSidebar } from '../rooms/RoomSidebar';
import { RoomRelay } from '../rooms/room-relay';
import { useConversations } from '../rooms/use-conversations';
import { useRoomRoute } from '../rooms/use-room-route';
import type { Session } from '../session/session-store';
import { plainText } from '../text/message-markdown';
import { PeoplePanel } from './PeoplePanel';
import { RoomPane } from './RoomPane';
import { initialShellState, shellReducer } from './shell-state';
import { TopBar } from './TopBar';
import { BrowseRoomsDialog, ConvertGroupDialog, CreateRoomDialog, EditRoomDialog, InviteDialog, NewMessageDialog, PinnedPanel, RoomNotificationsDialog, ShortcutsDialog, ThreadPanel, ThreadsView } from './lazy-panels';
import { useThreads } from '../threads/use-threads';
import type { DurableEvent } from '../api/room-types';
import { useComposerFocusOnOpen } from './use-composer-focus';
import { useConnectionStatus } from '../connection/ConnectionContext';
import { useOfflineSnapshot } from '../offline/use-offline-snapshot';
import { useShortcutKeys } from './use-shortcut-keys';
import { useUnreadTitle } from './use-unread-title';
import './ChatScreen.css';
// The side panels' styles come with the screen, so their placeholder already has the panel's frame.
import '../threads/Threads.css';

interface Props {
  session: Session;
  onLogout(): void;
  /** Resolves once every session ended (this one included); rejects when the server could not be asked. */
  onLogoutEverywhere(): Promise<void>;
}

/** The signed-in app: the top bar, the rooms sidebar, the open room, the people panel, and the one event stream that feeds them. */
export function ChatScreen({ session, onLogout, onLogoutEverywhere }: Props) {
  const me = useMemo(() => ({ id: session.user.id, username: session.user.username }), [session.user.id, session.user.username]);
  // Proves the stored token still works after a reload; a refusal signs out through the QueryClient.
  trpc.auth.me.useQuery(undefined, { retry: false, staleTime: Infinity });
  const utils = trpc.useUtils();
  const queryClient = useQueryClient();

  const [routeRoomId, openRoute] = useRoomRoute();
  const openRoomId = routeRoomId === 'invalid' ? null : routeRoomId;
  const [state, dispatch] = useReducer(shellReducer, session.user.id, (accountId) => ({ ...initialShellState, drafts: loadDrafts(accountId) }));
  // The account's other tabs write drafts too: this one shows what they typed (decision 152).
  useEffect(() => followDrafts(me.id, (drafts) => dispatch({ type: 'drafts-synced', drafts })), [me.id]);
  // Once the outbox has loaded, a draft held at start for a message it did keep is released (SignedInApp): the
  // composer drops that text, and only that text, if it still shows it.
  const outbox = useOutbox();
  const heldAtStart = useState(() => heldDrafts(me.id))[0];
  useEffect(() => {
    let current = true;
    void outbox.ready.then(() => {
      if (!current) return;
      const stored = loadDrafts(me.id);
      for (const [roomId, draft] of Object.entries(heldAtStart)) if (stored[roomId] !== draft) dispatch({ type: 'draft-released', roomId, draft });
    });
    return () => {
      current = false;
    };
  }, [outbox, me.id, heldAtStart]);
  const openRoom = useCallback(
    (roomId: string, replace = false) => {
      openRoute(roomId, replace);
      dispatch({ type: 'room-opened' });
    },
    [openRoute],
  );

  // A message shown in context: a search result or a notification opens its room and scrolls there.
  const openInContext = useCallback(
    (roomId: string, messageId: string) => {
      openRoom(roomId);
      dispatch({ type: 'jump-requested', jump: { roomId, messageId, nonce: Date.now() } });
    },
    [openRoom],
  );

  // A notification's link (/r/<room>?m=<message>, from the service worker): open that message once.
  useEffect(() => {
    const messageId = messageOfUrl(window.location.search);
    if (!messageId || !openRoomId) return;
    window.history.replaceState(null, '', window.location.pathname);
    openInContext(openRoomId, messageId);
    // Only the address the page was opened with: once.
  }, []);
  useNotificationClicks(openInContext);

  const notifications = useNotifications();
  const notificationState = useNotificationState(session.token);
  useWebPush(notifications.allowed);
  useFocusReport(openRoomId);
  const countUnread = useUnreadTitle();
  const relay = useState(() => new RoomRelay())[0];
  // Read by the stream's callbacks, which keep one identity.
  const roomsNow = useRef<readonly RoomListItem[] | undefined>(undefined);
  const allowedNow = useRef(false);
  const onMessage = useCallback(
    (m: RoomMessage) => {
      relay.message(m);
      if (m.author.id === me.id) return;
      if (relay.openRoomId === m.roomId) dispatch({ type: 'announced', text: `${shownName(m.author)}: ${m.text.slice(0, 200)}` });
      countUnread();
      const room = roomsNow.current?.find((r) => r.id === m.roomId);
      const hidden = document.visibilityState === 'hidden';
      // A group DM notifies as a DM (docs/decisions/153).
      if (shouldNotify({ message: m, roomKind: room?.group ? 'dm' : (room?.kind ?? null), meId: me.id, hidden, allowed: allowedNow.current, settings: notificationState.latest.current, now: Date.now() })) {
        const title = room?.kind === 'dm' ? shownName(m.author) : `${shownName(m.author)} in ${room ? roomTitle(room, me.id) : 'a room'}`;
        showNotification(title, plainText(m.text).slice(0, 200), m.id, () => openInContext(m.roomId, m.id));
      }
    },
    [relay, me.id, countUnread, openInContext, notificationState.latest],
  );
  const onMessageChange = useCallback((event: MessageChangeEvent) => relay.change(event), [relay]);
  const threads = useThreads(me.id);
  const pins = usePins(me.id, openRoomId);
  const [pinsOpen, setPinsOpen] = useState(false);
  const { apply: applyPins, refetch: refetchPins } = pins;
  const threadSink = useRef<((event: DurableEvent) => void) | null>(null);
  const { apply: applyThreads, refetch: refetchThreads, follows: followsThread } = threads;
  const onDurable = useCallback(
    (event: DurableEvent) => {
      applyThreads(event);
      applyPins(event);
      threadSink.current?.(event);
      // A reply only in its thread that names the user or is in a thread they follow (the room's own messages notify through onMessage).
      const reply = event.type === 'thread.message' && event.event.type === 'message.created' ? event.event.message : null;
      if (!reply) return;
      const room = roomsNow.current?.find((r) => r.id === reply.roomId);
      const rootId = reply.threadRootId ?? reply.id;
      const notify = { message: reply, roomKind: room?.kind ?? null, meId: me.id, hidden: document.visibilityState === 'hidden', allowed: allowedNow.current };
      if (shouldNotify({ ...notify, settings: notificationState.latest.current, now: Date.now(), followsThread: followsThread(rootId) })) {
        showNotification(`${reply.author.username} in a thread`, plainText(reply.text).slice(0, 200), reply.id, () => {
          openRoom(reply.roomId);
          dispatch({ type: 'thread-opened', rootId, roomId: reply.roomId });
        });
      }
    },
    [applyThreads, applyPins, followsThread, me.id, openRoom],
  );
  // The open room's new messages count as unread while the user is not looking at them.
  const onReadingChange = useCallback((reading: boolean) => dispatch({ type: 'reading-changed', reading }), []);
  const conversations = useConversations(me.id, state.reading ? openRoomId : null, {
    onMessage,
    onMessageChange,
    onDurable,
    onOpenRoomGone: () => {
      openRoom(EVERYONE_ROOM_ID, true);
      dispatch({ type: 'notice-shown', notice: 'You are no longer a member of that room.' });
    },
    onResync: () => {
      queryClient.removeQueries({ queryKey: [['chat', 'history']] });
      refetchThreads();
      refetchPins();
      dispatch({ type: 'resynced' });
    },
    onNotificationEvent: notificationState.apply,
  });
  const { rooms, online } = conversations;
  // Presence names people by username: their display names come from the DMs and groups that show them.
  const knownPeople = useMemo(() => (rooms ?? []).flatMap(roomPeople), [rooms]);
  const connection = useConnectionStatus().kind;
  const kept = useOfflineSnapshot(me.id, rooms);
  // The server out of reach at start (offline, or its first reads failed): the rooms as this browser
  // last saw them, read-only, until the live list replaces them.
  const offlineRooms = !rooms && kept?.rooms && (connection === 'offline' || connection === 'reconnecting' || conversations.status === 'error') ? kept.rooms : null;
  const offlineRoom = offlineRooms?.find((r) => r.id === openRoomId) ?? null;
  // Reads that failed while the server was out of reach are tried again once it is back.
  const wasConnected = useRef(connection === 'connected');
  const { status: roomsStatus, retry: retryRooms } = conversations;
  useEffect(() => {
    const now = connection === 'connected';
    if (now && !wasConnected.current && roomsStatus === 'error') retryRooms();
    wasConnected.current = now;
  }, [connection, roomsStatus, retryRooms]);
  roomsNow.current = rooms;
  allowedNow.current = notifications.allowed;
  const room = rooms?.find((r) => r.id === openRoomId) ?? null;
  const threadRoom = rooms?.find((r) => r.id === state.thread?.roomId) ?? null;
  const totalUnread = rooms?.reduce((n, r) => n + (r.id === openRoomId ? 0 : r.unread), 0) ?? 0;
  const totalMentions = rooms?.reduce((n, r) => n + (r.id === openRoomId ? 0 : r.mentions), 0) ?? 0;

  const draft = openRoomId ? (state.drafts[openRoomId] ?? '') : '';
  const setDraft = useCallback(
    (next: string) => {
      if (!openRoomId) return;
      dispatch({ type: 'draft-changed', roomId: openRoomId, draft: next });
      // Kept as typed, so a reload or a closed tab keeps the half-written message (cleared on send);
      // only this room's, so a draft another tab typed in another room is left as it is.
      saveDraft(me.id, openRoomId, next);
    },
    [openRoomId, me.id],
  );
  const composer = useRef<HTMLTextAreaElement>(null);
  useComposerFocusOnOpen(room?.id ?? null, composer);
  useShortcutKeys(() => dispatch({ type: 'dialog-opened', dialog: 'shortcuts' }));

  // The callbacks below keep one identity, so the memoised panels they go to skip the screen's renders (decision 160).
  const draftNow = useRef(draft);
  draftNow.current = draft;
  const mention = useCallback(
    (user: PublicUser) => {
      setDraft(appendMention(draftNow.current, user.username));
      dispatch({ type: 'people-closed' });
      composer.current?.focus();
      // The caret goes after the mention once React has put it in the textarea.
      requestAnimationFrame(() => {
        const el = composer.current;
        el?.setSelectionRange(el.value.length, el.value.length);
      });
    },
    [setDraft],
  );

  const openDirect = trpc.room.openDirect.useMutation();
  const { mutate: openDirectWith } = openDirect;
  const message = useCallback(
    (userId: string) =>
      openDirectWith(
        { userId },
        {
          onSuccess: async (dm) => {
            // In the list before it is opened, so the deep link finds it.
            await utils.room.list.invalidate();
            dispatch({ type: 'people-closed' });
            dispatch({ type: 'profile-shown', profile: null });
            openRoom(dm.id);
          },
          onError: (error) => dispatch({ type: 'notice-shown', notice: roomErrorMessage(error) }),
        },
      ),
    [openDirectWith, utils, openRoom],
  );
  const showShortcuts = useCallback(() => dispatch({ type: 'dialog-opened', dialog: 'shortcuts' }), []);
  const showCreate = useCallback(() => dispatch({ type: 'dialog-opened', dialog: 'create' }), []);
  const showBrowse = useCallback(() => dispatch({ type: 'dialog-opened', dialog: 'browse' }), []);
  // Stable objects, so the memoised RoomPane renders again only when one of them changed (decision 160).
  const offlinePage = offlineRoom ? kept?.pages.get(offlineRoom.id) : undefined;
  const offline = useMemo(() => (offlineRooms ? { room: offlineRoom, page: offlinePage } : null), [offlineRooms, offlineRoom, offlinePage]);
  const togglePins = useCallback(() => setPinsOpen((o) => !o), []);
  const pinCount = pins.pins?.length ?? null;
  const pinsProp = useMemo(() => ({ count: pinCount, ids: pins.pinnedIds, open: pinsOpen, toggle: togglePins }), [pinCount, pins.pinnedIds, pinsOpen, togglePins]);
  const showNewMessage = useCallback(() => dispatch({ type: 'dialog-opened', dialog: 'new-message' }), []);
  const joinedAndOpen = async (roomId: string) => {
    await utils.room.list.invalidate();
    openRoom(roomId);
  };
  const closeDialog = () => dispatch({ type: 'dialog-opened', dialog: null });

  return (
    <div className="chat-app" onKeyDown={(e) => e.key === 'Escape' && dispatch({ type: 'panels-closed', members: true })}>
      {room && (
        // First in the tab order: past the top bar, the sidebar and 50 messages in one key.
        <a
          className="skip-link"
          href="#composer"
          onClick={(e) => {
            e.preventDefault();
            composer.current?.focus();
          }}
        >
          Skip to composer
        </a>
      )}
      <TopBar
        state={state}
        dispatch={dispatch}
        username={me.username}
        meId={me.id}
        room={room}
        rooms={rooms}
        totalUnread={totalUnread}
        totalMentions={totalMentions}
        onlineCount={online.length}
        threadsUnread={threads.unread}
        threadsMentions={threads.mentions}
        notifications={notifications}
        openInContext={openInContext}
        onLogout={onLogout}
        onLogoutEverywhere={onLogoutEverywhere}
      />

      <div className={`chat-layout${state.thread || state.threadsOpen || (pinsOpen && room) ? ' thread-open' : ''}`}>
        <aside id="room-sidebar" className={`room-sidebar glass${state.roomsOpen ? ' open' : ''}`} aria-label="Your rooms">
          {(rooms ?? offlineRooms) ? (
            <RoomSidebar
              rooms={rooms ?? offlineRooms ?? []}
              openRoomId={openRoomId}
              online={online}
              meId={me.id}
              onOpen={openRoom}
              onCreate={showCreate}
              onBrowse={showBrowse}
              onNewMessage={showNewMessage}
            />
          ) : (
            <p className="muted small">Loading rooms…</p>
          )}
        </aside>

        <RoomPane
          state={state}
          dispatch={dispatch}
          me={me}
          conversations={conversations}
          room={room}
          online={online}
          notifications={notifications}
          relay={relay}
          draft={draft}
          setDraft={setDraft}
          composerRef={composer}
          onReadingChange={onReadingChange}
          openRoom={openRoom}
          message={message}
          offline={offline}
          pins={pinsProp}
        />

        {/* The side panels load with their first use: until then a panel-shaped placeholder holds their place. */}
        <Suspense fallback={<PanelLoading />}>
          {state.thread ? (
            <ThreadPanel
              key={state.thread.rootId}
              rootId={state.thread.rootId}
              roomId={state.thread.roomId}
              room={threadRoom}
              roomName={threadRoom ? roomTitle(threadRoom, me.id) : ''}
              me={me}
              sink={threadSink}
              onClose={() => dispatch({ type: 'thread-closed' })}
              onJumpInRoom={(messageId) => state.thread && openInContext(state.thread.roomId, messageId)}
            />
          ) : (
            state.threadsOpen && (
              <ThreadsView
                threads={threads.threads}
                roomName={(roomId) => {
                  const r = rooms?.find((x) => x.id === roomId);
                  return r ? roomTitle(r, me.id) : '';
                }}
                onOpen={(t) => {
                  if (t.roomId !== openRoomId) openRoom(t.roomId);
                  dispatch({ type: 'thread-opened', rootId: t.rootId, roomId: t.roomId });
                }}
                onClose={() => dispatch({ type: 'threads-toggled' })}
              />
            )
          )}
          {!state.thread && !state.threadsOpen && pinsOpen && room && (
            <PinnedPanel
              roomName={roomTitle(room, me.id)}
              pins={pins.pins}
              onOpen={(pin) => {
                // On a phone the list is a sheet over the room: it steps aside for the message.
                if (window.matchMedia('(max-width: 600px)').matches) setPinsOpen(false);
                openInContext(pin.message.roomId, pin.message.id);
              }}
              onClose={() => setPinsOpen(false)}
            />
          )}
        </Suspense>

        <PeoplePanel
          open={state.peopleOpen}
          profile={state.profile}
          dispatch={dispatch}
          meId={me.id}
          online={online}
          known={knownPeople}
          message={message}
          messaging={openDirect.isPending}
          mention={mention}
          showShortcuts={showShortcuts}
        />
      </div>

      {/* A tap beside an open sheet closes it; the keyboard has Escape and the toggles. */}
      {(state.roomsOpen || state.peopleOpen) && <div className="sheet-scrim" aria-hidden="true" onClick={() => dispatch({ type: 'panels-closed', members: false })} />}

      {/* A dialog loads with its first opening (the service worker has it offline too): it appears when ready. */}
      <Suspense fallback={null}>
        {state.dialog === 'create' && <CreateRoomDialog onCreated={(created) => void joinedAndOpen(created.id)} onClose={closeDialog} />}
        {state.dialog === 'browse' && <BrowseRoomsDialog onOpen={(roomId) => void joinedAndOpen(roomId)} onClose={closeDialog} />}
        {state.dialog === 'invite' && room && (
          <InviteDialog room={room} memberIds={new Set(utils.room.members.getData({ roomId: room.id })?.map((u) => u.id) ?? [])} onClose={closeDialog} />
        )}
        {state.dialog === 'edit' && room && <EditRoomDialog room={room} onClose={closeDialog} />}
        {state.dialog === 'convert' && room?.group && <ConvertGroupDialog room={room} onClose={closeDialog} />}
        {state.dialog === 'new-message' && (
          <NewMessageDialog
            meId={me.id}
            onOpened={(roomId) => {
              closeDialog();
              void joinedAndOpen(roomId);
            }}
            onClose={closeDialog}
          />
        )}
        {state.dialog === 'shortcuts' && <ShortcutsDialog onClose={closeDialog} />}
        {state.dialog === 'notifications' && room && <RoomNotificationsDialog room={room} settings={notificationState.state.settings} onClose={closeDialog} />}
      </Suspense>

      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {state.announcement}
      </p>
    </div>
  );
}

/** Where a side panel (thread, threads, pins) appears while its code loads, in the panel's own frame. */
function PanelLoading() {
  return (
    <aside className="thread-panel glass" aria-busy="true" aria-label="Loading">
      <p className="muted small">Loading…</p>
    </aside>
  );
}
