import { MAX_GROUP_MEMBERS } from '@chat/api/schemas';
import { useState } from 'react';
import { trpc } from '../api/trpc';
import { type PickedPerson, UserPicker } from '../people/UserPicker';
import { RoomDialog } from '../ui/RoomDialog';
import { roomErrorMessage } from './room-errors';

/** The others a group may hold: the user is the eighth. */
const MAX_OTHERS = MAX_GROUP_MEMBERS - 1;

/**
 * "New message": pick one person (a DM) or up to seven (a group DM, docs/decisions/153); opening the
 * same people again finds the conversation they already have.
 */
export function NewMessageDialog({ meId, onOpened, onClose }: { meId: string; onOpened(roomId: string): void; onClose(): void }) {
  const [picked, setPicked] = useState<PickedPerson[]>([]);
  const [error, setError] = useState<string | null>(null);
  const openDirect = trpc.room.openDirect.useMutation();
  const openGroup = trpc.room.openGroup.useMutation();
  const busy = openDirect.isPending || openGroup.isPending;
  const isPicked = (userId: string) => picked.some((p) => p.id === userId);
  const toggle = (user: PickedPerson) => setPicked((list) => (list.some((p) => p.id === user.id) ? list.filter((p) => p.id !== user.id) : [...list, { id: user.id, username: user.username }]));

  const start = () => {
    setError(null);
    const done = { onSuccess: (room: { id: string }) => onOpened(room.id), onError: (e: unknown) => setError(roomErrorMessage(e)) };
    if (picked.length === 1) openDirect.mutate({ userId: picked[0]!.id }, done);
    else openGroup.mutate({ userIds: picked.map((p) => p.id) }, done);
  };

  return (
    <RoomDialog title="New message" onClose={onClose}>
      {(close) => (
        <div className="browse">
          <p className="muted small">One person for a direct message; two to {MAX_OTHERS} for a group.</p>
          <UserPicker
            label="Search people"
            excludeId={meId}
            picked={{ people: picked, remove: toggle }}
            note={error ? { text: error, error: true } : picked.length >= MAX_OTHERS ? { text: `A group holds at most ${MAX_GROUP_MEMBERS} people, you included.`, error: false } : null}
            action={(user) => {
              const on = isPicked(user.id);
              return (
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  aria-pressed={on}
                  aria-label={on ? `Remove ${user.username}` : `Add ${user.username}`}
                  disabled={!on && picked.length >= MAX_OTHERS}
                  onClick={() => toggle(user)}
                >
                  {on ? 'Added' : 'Add'}
                </button>
              );
            }}
          />
          <div className="room-dialog-actions">
            <button type="button" className="btn btn-ghost" onClick={close}>
              Cancel
            </button>
            <button type="button" className="btn btn-primary" disabled={picked.length === 0 || busy} onClick={start}>
              {busy ? 'Opening…' : picked.length > 1 ? `Start group of ${picked.length + 1}` : 'Message'}
            </button>
          </div>
        </div>
      )}
    </RoomDialog>
  );
}
