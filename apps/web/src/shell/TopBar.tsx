import type { Dispatch } from 'react';
import { AccountMenu } from '../account/AccountMenu';
import type { RoomListItem } from '../api/room-types';
import { ConnectionStatus } from '../connection/ConnectionStatus';
import type { Notifications } from '../notifications/use-notifications';
import { roomTitle } from '../rooms/room-names';
import { MessageSearch } from '../search/MessageSearch';
import { BrandMark } from '../ui/BrandMark';
import type { ShellAction, ShellState } from './shell-state';

interface Props {
  state: ShellState;
  dispatch: Dispatch<ShellAction>;
  username: string;
  rooms: readonly RoomListItem[] | undefined;
  /** Unread messages and mentions in the rooms other than the open one. */
  totalUnread: number;
  totalMentions: number;
  onlineCount: number;
  notifications: Notifications;
  openInContext(roomId: string, messageId: string): void;
  onLogout(): void;
  onLogoutEverywhere(): Promise<void>;
}

/** The bar above everything: the rooms and people toggles (sheets on a phone), the brand, the connection, search and the account. */
export function TopBar({ state, dispatch, username, rooms, totalUnread, totalMentions, onlineCount, notifications, openInContext, onLogout, onLogoutEverywhere }: Props) {
  return (
    <header className="topbar glass">
      <button type="button" className="btn btn-ghost rooms-toggle" aria-expanded={state.roomsOpen} aria-controls="room-sidebar" onClick={() => dispatch({ type: 'rooms-toggled' })}>
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
          aria-expanded={state.searchOpen}
          aria-label="Search messages"
          title="Search messages"
          onClick={() => dispatch({ type: 'search-toggled' })}
        >
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3m0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10" fill="currentColor" />
          </svg>
        </button>
        <button type="button" className="btn btn-ghost people-toggle" aria-expanded={state.peopleOpen} aria-controls="people-panel" onClick={() => dispatch({ type: 'people-toggled' })}>
          People
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
        <MessageSearch
          roomName={(roomId) => {
            const r = rooms?.find((x) => x.id === roomId);
            return r ? roomTitle(r) : null;
          }}
          onOpen={(roomId, messageId) => {
            dispatch({ type: 'search-closed' });
            openInContext(roomId, messageId);
          }}
          onClose={() => dispatch({ type: 'search-closed' })}
        />
      )}
    </header>
  );
}
