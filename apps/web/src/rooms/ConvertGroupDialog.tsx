import type { Room } from '../api/room-types';
import { convertGroupInput, ROOM_NAME_MAX } from '@chat/api/schemas';
import { type FormEvent, useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { FormFooter } from '../ui/FormFooter';
import { RoomDialog } from '../ui/RoomDialog';
import { roomErrorMessage } from './room-errors';

/** A member names a group DM, which becomes a private room for everyone in it (docs/decisions/153). */
export function ConvertGroupDialog({ room, onClose }: { room: Room; onClose(): void }) {
  const ids = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const convert = trpc.room.convertGroup.useMutation();

  return (
    <RoomDialog title="Convert to a private room" onClose={onClose}>
      {(close) => {
        const submit = (e: FormEvent) => {
          e.preventDefault();
          const parsed = convertGroupInput.safeParse({ roomId: room.id, name });
          if (!parsed.success) {
            setError(parsed.error.issues[0]?.message ?? 'Check the name.');
            return;
          }
          setError(null);
          // The sidebar and header change through the room.updated event, on every member's devices.
          convert.mutate(parsed.data, { onSuccess: close, onError: (err) => setError(roomErrorMessage(err)) });
        };
        return (
          <form onSubmit={submit} noValidate>
            <p className="muted small">Everyone stays, with the whole history and the pinned messages; you can then add more people and rename it.</p>
            <div className="room-field">
              <label htmlFor={`${ids}-name`}>Room name</label>
              <input id={`${ids}-name`} value={name} maxLength={ROOM_NAME_MAX * 2} autoComplete="off" spellCheck={false} onChange={(e) => setName(e.target.value)} />
            </div>
            <FormFooter error={error} busy={convert.isPending} submit={'Convert'} busyLabel={'Converting…'} onCancel={close} />
          </form>
        );
      }}
    </RoomDialog>
  );
}
