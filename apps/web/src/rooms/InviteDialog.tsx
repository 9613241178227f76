import type { Room } from '../api/room-types';
import { useState } from 'react';
import { trpc } from '../api/trpc';
import { UserPicker } from '../people/UserPicker';
import { roomErrorMessage } from './room-errors';
import { RoomDialog } from '../ui/RoomDialog';

/** Find people and add them to the room; members already in it say so. */
export function InviteDialog({ room, memberIds, onClose }: { room: Room; memberIds: ReadonlySet<string>; onClose(): void }) {
  const invite = trpc.room.invite.useMutation();
  const [added, setAdded] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  return (
    <RoomDialog title={`Add people to ${room.name}`} onClose={onClose}>
      {(close) => (
        <div className="browse">
          <UserPicker
            label="Search people to add"
            note={message}
            action={(user) =>
              memberIds.has(user.id) || added.has(user.id) ? (
                <span className="muted small">In the room</span>
              ) : (
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  aria-label={`Add ${user.username}`}
                  disabled={invite.isPending}
                  onClick={() =>
                    invite.mutate(
                      { roomId: room.id, userId: user.id },
                      {
                        onSuccess: () => {
                          setAdded((s) => new Set(s).add(user.id));
                          setMessage({ text: `${user.username} was added.`, error: false });
                        },
                        onError: (e) => setMessage({ text: roomErrorMessage(e), error: true }),
                      },
                    )
                  }
                >
                  Add
                </button>
              )
            }
          />
          <div className="room-dialog-actions">
            <button type="button" className="btn btn-primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      )}
    </RoomDialog>
  );
}
