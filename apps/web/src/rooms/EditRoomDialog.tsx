import type { Room } from '../api/room-types';
import { ROOM_NAME_MAX, ROOM_TOPIC_MAX, updateRoomInput } from '@chat/api/schemas';
import { type FormEvent, useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { roomErrorMessage } from './room-errors';
import { RoomDialog } from '../ui/RoomDialog';
import { FormFooter } from '../ui/FormFooter';

/** Rename a room or change its topic (its creator only; the server checks that too). */
export function EditRoomDialog({ room, onClose }: { room: Room; onClose(): void }) {
  const ids = useId();
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(room.topic ?? '');
  const [error, setError] = useState<string | null>(null);
  const update = trpc.room.update.useMutation();

  return (
    <RoomDialog title="Edit room" onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent) => {
          e.preventDefault();
          const parsed = updateRoomInput.safeParse({ roomId: room.id, name, topic });
          if (!parsed.success) {
            setError(parsed.error.issues[0]?.message ?? 'Check the name and topic.');
            return;
          }
          setError(null);
          // The list and header change through the room.updated event, on every tab.
          update.mutate(parsed.data, { onSuccess: close, onError: (err) => setError(roomErrorMessage(err)) });
        };
        return (
          <form onSubmit={submit} noValidate>
            <div className="room-field">
              <label htmlFor={`${ids}-name`}>Name</label>
              <input id={`${ids}-name`} value={name} maxLength={ROOM_NAME_MAX * 2} autoComplete="off" spellCheck={false} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="room-field">
              <label htmlFor={`${ids}-topic`}>Topic</label>
              <input id={`${ids}-topic`} value={topic} maxLength={ROOM_TOPIC_MAX * 2} onChange={(e) => setTopic(e.target.value)} />
            </div>
            <FormFooter error={error} busy={update.isPending} submit={'Save'} busyLabel={'Saving…'} onCancel={close} />
          </form>
        );
      }}
    </RoomDialog>
  );
}
