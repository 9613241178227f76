import type { Room } from '../api/room-types';
import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { roomHandles, roomTitle } from './room-names';
import { RoomIcon } from './RoomIcon';
import { PinIcon } from '../messages/MessageItem';

interface Props {
  room: Room;
  meId: string;
  peerOnline: boolean;
  membersOpen: boolean;
  onToggleMembers(): void;
  onInvite(): void;
  onEdit(): void;
  /** Opens this room's notification settings (docs/decisions/149). */
  onNotifications(): void;
  onLeave(): void;
  leaving: boolean;
  /** The room's pinned messages: null until read. */
  pinCount: number | null;
  pinsOpen: boolean;
  onTogglePins(): void;
  /** Names a group DM, which becomes a private room. */
  onConvert(): void;
}

const describe = (room: Room, meId: string) =>
  room.topic ??
  (room.id === EVERYONE_ROOM_ID
    ? 'The one room every member shares.'
    : room.kind === 'dm'
      ? `Your direct messages with ${roomTitle(room, meId)}.`
      : room.group
        ? `A group conversation with ${roomTitle(room, meId)} and you.`
        : room.kind === 'private'
        ? 'A private room: only its members see it.'
        : 'A public channel.');

/** The room's icon, name and a line under it (its topic; the offline view says whence it is). */
export function RoomHeading({ room, meId, peerOnline, topic }: { room: Room; meId: string; peerOnline: boolean; topic: string }) {
  // A display name could pass for someone else: the unique names stand beside it (docs/decisions/155).
  const handles = roomHandles(room, meId);
  return (
    <div className="room-heading">
      <h1 id="room-title">
        <RoomIcon room={room} online={peerOnline} />
        <span className="room-title-text">{roomTitle(room, meId)}</span>
        {handles && <span className="room-title-handles muted small">{handles}</span>}
      </h1>
      <p className="room-topic muted small">{topic}</p>
    </div>
  );
}

/** The open room's name, topic, members and the actions the user may take here. */
export function RoomHeader({ room, meId, peerOnline, membersOpen, onToggleMembers, onInvite, onEdit, onNotifications, onLeave, leaving, pinCount, pinsOpen, onTogglePins, onConvert }: Props) {
  const isCreator = room.createdBy !== null && room.createdBy === meId;
  return (
    <div className="room-header">
      <RoomHeading room={room} meId={meId} peerOnline={peerOnline} topic={describe(room, meId)} />
      <div className="room-header-actions">
        <button type="button" className="btn btn-ghost btn-small" aria-expanded={membersOpen} aria-controls="members-panel" onClick={onToggleMembers}>
          {room.memberCount} {room.memberCount === 1 ? 'member' : 'members'}
        </button>
        {/* An icon and the count: the header's width is the topic's (a long channel name left it two words). */}
        <button
          type="button"
          className="btn btn-ghost btn-small pins-button"
          aria-expanded={pinsOpen}
          aria-label={`Pinned${pinCount ? ` (${pinCount})` : ''}`}
          title="Pinned messages"
          onClick={onTogglePins}
        >
          <PinIcon />
          {pinCount ? <span aria-hidden="true">{pinCount}</span> : null}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onNotifications}>
          Notifications
        </button>
        {room.kind === 'private' && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onInvite}>
            Add people
          </button>
        )}
        {room.group && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onConvert}>
            Convert to private room
          </button>
        )}
        {isCreator && room.kind !== 'dm' && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onEdit}>
            Edit
          </button>
        )}
        {room.kind !== 'dm' && room.id !== EVERYONE_ROOM_ID && (
          <button type="button" className="btn btn-ghost btn-small" onClick={onLeave} disabled={leaving}>
            {leaving ? 'Leaving…' : 'Leave'}
          </button>
        )}
      </div>
    </div>
  );
}
