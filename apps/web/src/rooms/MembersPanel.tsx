import type { Room } from '../api/room-types';
import { useState } from 'react';
import { trpc } from '../api/trpc';
import type { OnlineUsers } from '../people/online-users';
import { shownName } from '../people/shown-name';
import { Avatar } from '../ui/Avatar';
import { roomErrorMessage } from './room-errors';

interface Props {
  room: Room;
  meId: string;
  online: OnlineUsers;
  onMessage(userId: string): void;
}

/** Who is in the room, online first; the creator may remove people. */
export function MembersPanel({ room, meId, online, onMessage }: Props) {
  const members = trpc.room.members.useQuery({ roomId: room.id });
  const remove = trpc.room.remove.useMutation();
  const [error, setError] = useState<string | null>(null);
  const onlineIds = new Set(online.map((u) => u.id));
  const list = [...(members.data ?? [])].sort(
    (a, b) => Number(onlineIds.has(b.id)) - Number(onlineIds.has(a.id)) || shownName(a).localeCompare(shownName(b)),
  );
  const mayRemove = room.kind !== 'dm' && room.createdBy === meId;

  return (
    <section id="members-panel" className="members-panel glass" aria-label={`Members of ${room.name}`}>
      {members.isPending ? (
        <p className="muted small">Loading members…</p>
      ) : members.isError ? (
        <p className="field-error">Could not load the members.</p>
      ) : (
        <ul className="members-list">
          {list.map((user) => (
            <li key={user.id}>
              <Avatar name={user.username} user={user} size="sm" online={onlineIds.has(user.id)} />
              <span className="member-name" title={`@${user.username}`}>
                {shownName(user)}
              </span>
              {onlineIds.has(user.id) && <span className="sr-only">, online</span>}
              {user.id === meId ? (
                <span className="badge">you</span>
              ) : (
                <span className="member-actions">
                  {room.kind !== 'dm' && (
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => onMessage(user.id)} aria-label={`Message ${user.username}`}>
                      Message
                    </button>
                  )}
                  {mayRemove && (
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      aria-label={`Remove ${user.username}`}
                      disabled={remove.isPending}
                      onClick={() => remove.mutate({ roomId: room.id, userId: user.id }, { onError: (e) => setError(roomErrorMessage(e)) })}
                    >
                      Remove
                    </button>
                  )}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
