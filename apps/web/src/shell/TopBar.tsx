import { type Dispatch, memo, Suspense } from 'react';
import { AccountMenu } from '../account/AccountMenu';
import type { RoomListItem } from '../api/room-types';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import type { Notifications } from '../notifications/use-notifications';
import { RoomIcon } from '../rooms/RoomIcon';
import { roomTitle } from '../rooms/room-names';
import { MessageSearch, ThreadsView } from './lazy-panels';
import { BrandMark } from '../ui/BrandMark';
import type { ShellAction, ShellState } from './shell-state';

interface Props {
  state: ShellState;
  dispatch: Dispatch<ShellAction>;
  username: string;
  meId: string;
  /** The open room: its name heads the bar on a phone, where the room header has no room for it. */
  room: RoomListItem | null;
  rooms: readonly RoomListItem[] | undefined;
  /** Unread messages and mentions in the rooms other than the open one. */
  totalUnread: number;
  totalMentions: number;
  onlineCount: number;
  /** Unread replies and mentions in followed threads. */
  threadsUnread: number;
  threadsMentions: number;
  notifications: Notifications;
  openInContext(roomId: string, messageId: string): void;
  onLogout(): void;
  onLogoutEverywhere(): Promise<void>;
}

/** The bar above everything: the rooms and people toggles (sheets on a phone), the brand, the connection, search and the account. */
export const TopBar = memo(function TopBar({ state, dispatch, username, meId, room, rooms, totalUnread, totalMentions, onlineCount, threadsUnread, threadsMentions, notifications, openInContext, onLogout, onLogoutEverywhere }: Props) {
  return (
    <header className="topbar glass">
      <button type="button" className="btn btn-ghost rooms-toggle" aria-expanded={state.roomsOpen} aria-controls="room-sidebar" onClick={() => dispatch({ type: 'rooms-toggled' })}>
        <svg className="topbar-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
          <path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor" />
        </svg>
        <span className="topbar-button-text">Rooms</span>
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
      {room && (
        // The heading below says it to screen readers; this is its copy for the eye on a phone.
        <p className="topbar-room" aria-hidden="true">
          {room.kind !== 'dm' && <RoomIcon room={room} />}
          <span className="topbar-room-name">{roomTitle(room, meId)}</span>
        </p>
      )}
      <ConnectionStatus />
      <div className="topbar-actions">
        <button
          type="button"
          className="btn btn-ghost search-toggle"
          aria-expanded={state.searchOpen}
          aria-label="Search messages"
          title="Search messages"
          onClick={() => dispatch({ type: 'search-toggled' })}
          onPointerEnter={MessageSearch.preload}
          onFocus={MessageSearch.preload}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3m0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10" fill="currentColor" />
          </svg>
        </button>
        <button type="button" className="btn btn-ghost threads-toggle" aria-expanded={state.threadsOpen} title="Threads"
          onClick={() => dispatch({ type: 'threads-toggled' })}
          onPointerEnter={ThreadsView.preload}
          onFocus={ThreadsView.preload}
        >
          <svg className="topbar-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M4 4h16v11H7l-3 3zm3 4v2h10V8zm0 3v2h7v-2z" fill="currentColor" />
          </svg>
          <span className="topbar-button-text">Threads</span>
          {threadsMentions > 0 && (
            <span className="mention-badge">
              <span className="sr-only">, </span>@{threadsMentions > 99 ? '99+' : threadsMentions}
              <span className="sr-only"> {threadsMentions === 1 ? 'mention' : 'mentions'}</span>
            </span>
          )}
          {threadsUnread > 0 && (
            <span className="unread-badge">
              <span className="sr-only">, </span>
              {threadsUnread > 99 ? '99+' : threadsUnread}
              <span className="sr-only"> unread</span>
            </span>
          )}
        </button>
        <button type="button" className="btn btn-ghost people-toggle" aria-expanded={state.peopleOpen} aria-controls="people-panel" onClick={() => dispatch({ type: 'people-toggled' })}>
          <svg className="topbar-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8m0 2c-3.3 0-7 1.6-7 4v3h14v-3c0-2.4-3.7-4-7-4m8-2a3 3 0 1 0-1.2-5.8A5.9 5.9 0 0 1 17 7c0 1.3-.4 2.6-1.2 3.6Q16.4 11 17 11m1.5 2.2c1.3.9 2.5 2.2 2.5 3.8v3h3v-3c0-2-2.6-3.4-5.5-3.8" fill="currentColor" />
          </svg>
          <span className="topbar-button-text">People</span>
          {onlineCount > 0 && (
            <span className="people-count">
              <span className="sr-only">, </span>
              {onlineCount}
              <span className="sr-only"> online</span>
            </span>
          )}
        </button>
        <AccountMenu username={username} onLogout={onLogout} onLogoutEverywhere={onLogoutEverywhere} notifications={notifications} />
      </div>
      {state.searchOpen && (
        <Suspense fallback={null}>
          <MessageSearch
            roomName={(roomId) => {
              const r = rooms?.find((x) => x.id === roomId);
              return r ? roomTitle(r, meId) : null;
            }}
            onOpen={(roomId, messageId) => {
              dispatch({ type: 'search-closed' });
              openInContext(roomId, messageId);
            }}
            onClose={() => dispatch({ type: 'search-closed' })}
          />
        </Suspense>
      )}
    </header>
  );
});
