import type { Room } from '../api/room-types';
import { Avatar } from '../ui/Avatar';
import { shownName } from '../people/shown-name';

/** "#" for a channel, a padlock for a private room, the other person's avatar for a DM, two heads for a group DM. */
export function RoomIcon({ room, online = false }: { room: Pick<Room, 'kind' | 'name' | 'peer' | 'group'>; online?: boolean }) {
  if (room.kind === 'dm') return <Avatar name={room.peer ? shownName(room.peer) : room.name} size="sm" online={online} />;
  if (room.group)
    return (
      <svg className="room-icon room-group" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path d="M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm7 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM9 13c-3.3 0-7 1.7-7 4v3h14v-3c0-2.3-3.7-4-7-4zm7 0c-.5 0-1 0-1.5.1 1.5 1 2.5 2.3 2.5 3.9v3h5v-3c0-2.2-3.4-4-6-4z" fill="currentColor" />
      </svg>
    );
  if (room.kind === 'private')
    return (
      <svg className="room-icon room-lock" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5zm-3 5a3 3 0 1 1 6 0v3H9V7z" fill="currentColor" />
      </svg>
    );
  return (
    <span className="room-icon room-hash" aria-hidden="true">
      #
    </span>
  );
}
