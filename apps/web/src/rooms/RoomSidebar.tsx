import type { RoomListItem } from '../api/room-types';
import { memo, type MouseEvent } from 'react';
import type { OnlineUsers } from '../people/online-users';
import { groupRooms } from './room-groups';
import { roomTitle } from './room-names';
import { pathForRoom } from './room-route';
import { RoomIcon } from './RoomIcon';
import './RoomSidebar.css';

interface Props {
  rooms: readonly RoomListItem[];
  openRoomId: string | null;
  online: OnlineUsers;
  meId: string;
  onOpen(roomId: string): void;
  onCreate(): void;
  onBrowse(): void;
  /** Starts a DM or a group DM with people picked from a search. */
  onNewMessage(): void;
}

const SECTIONS = [
  { key: 'channels', title: 'Channels', empty: null },
  { key: 'private', title: 'Private rooms', empty: 'Private rooms you are in show here.' },
  { key: 'direct', title: 'Direct messages', empty: 'Press New message, or Message on someone’s profile.' },
] as const;

/** The user's rooms in three sections, newest activity first, each with its mention and unread counts. */
export const RoomSidebar = memo(function RoomSidebar({ rooms, openRoomId, online, meId, onOpen, onCreate, onBrowse, onNewMessage }: Props) {
  const groups = groupRooms(rooms);
  const onlineIds = new Set(online.map((u) => u.id));
  // Real links (copy, open in a new tab); a plain click stays in the page.
  const follow = (e: MouseEvent, roomId: string) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    onOpen(roomId);
  };

  return (
    <nav className="room-sidebar-inner" aria-label="Rooms">
      <div className="sidebar-actions">
        <button type="button" className="btn btn-secondary btn-small" onClick={onCreate}>
          <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z" fill="currentColor" />
          </svg>
          New room
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onBrowse}>
          Browse channels
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onNewMessage}>
          New message
        </button>
      </div>
      {SECTIONS.map(({ key, title, empty }) => {
        const list = groups[key];
        if (!list.length && !empty) return null;
        return (
          <section key={key} className="room-section" aria-labelledby={`rooms-${key}`}>
            <h2 id={`rooms-${key}`} className="panel-title">
              {title}
            </h2>
            {list.length === 0 ? (
              <p className="muted small room-section-empty">{empty}</p>
            ) : (
              <ul className="room-items">
                {list.map((room) => (
                  <li key={room.id}>
                    <a
                      href={pathForRoom(room.id)}
                      className={`room-link${room.unread ? ' has-unread' : ''}`}
                      aria-current={room.id === openRoomId ? 'page' : undefined}
                      data-room-id={room.id}
                      onClick={(e) => follow(e, room.id)}
                    >
                      <RoomIcon room={room} online={room.peer ? onlineIds.has(room.peer.id) : false} />
                      <span className="room-link-name">{roomTitle(room, meId)}</span>
                      {room.peer && onlineIds.has(room.peer.id) && <span className="sr-only">, online</span>}
                      {(room.mentions > 0 || room.unread > 0) && (
                        <span className="room-badges">
                          {room.mentions > 0 && (
                            <span className="mention-badge" data-testid="mention-badge" data-count={room.mentions}>
                              <span className="sr-only">, </span>@{room.mentions > 99 ? '99+' : room.mentions}
                              <span className="sr-only"> {room.mentions === 1 ? 'mention' : 'mentions'}</span>
                            </span>
                          )}
                          {room.unread > 0 && (
                            <span className="unread-badge" data-testid="unread-badge" data-count={room.unread}>
                              <span className="sr-only">, </span>
                              {room.unread > 99 ? '99+' : room.unread}
                              <span className="sr-only"> unread</span>
                            </span>
                          )}
                        </span>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </nav>
  );
});
