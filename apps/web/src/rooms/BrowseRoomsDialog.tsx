import { ROOM_NAME_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { useDebouncedValue } from '../ui/use-debounced-value';
import { roomErrorMessage } from './room-errors';
import { RoomDialog } from '../ui/RoomDialog';

const DEBOUNCE_MS = 250;

/** The directory of public channels: search, join, or open one already joined. */
export function BrowseRoomsDialog({ onOpen, onClose }: { onOpen(roomId: string): void; onClose(): void }) {
  const id = useId();
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const utils = trpc.useUtils();
  const directory = trpc.room.browse.useQuery(query ? { query } : {}, { placeholderData: keepPreviousData, staleTime: 5_000 });
  const join = trpc.room.join.useMutation();
  const [error, setError] = useState<string | null>(null);
  const rooms = directory.data ?? [];

  return (
    <RoomDialog title="Browse channels" onClose={onClose}>
      {(close) => {
        const open = (roomId: string) => {
          onOpen(roomId);
          close();
        };
        return (
          <div className="browse">
            <label htmlFor={id} className="sr-only">
              Search channels
            </label>
            <input
              id={id}
              type="search"
              className="browse-search"
              placeholder="Search channels"
              autoComplete="off"
              spellCheck={false}
              maxLength={ROOM_NAME_MAX * 2}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
            <ul className="browse-list" aria-label="Channels">
              {rooms.map((room) => (
                <li key={room.id}>
                  <div className="browse-room">
                    <span className="browse-name">
                      <span className="room-hash" aria-hidden="true">
                        #
                      </span>
                      {room.name}
                    </span>
                    <span className="muted small">
                      {room.memberCount} {room.memberCount === 1 ? 'member' : 'members'}
                      {room.topic ? ` · ${room.topic}` : ''}
                    </span>
                  </div>
                  {room.joined ? (
                    <button type="button" className="btn btn-ghost btn-small" onClick={() => open(room.id)} aria-label={`Open ${room.name}`}>
                      Open
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-secondary btn-small"
                      disabled={join.isPending}
                      aria-label={`Join ${room.name}`}
                      onClick={() =>
                        join.mutate(
                          { roomId: room.id },
                          {
                            onSuccess: () => {
                              void utils.room.list.invalidate();
                              open(room.id);
                            },
                            onError: (e) => setError(roomErrorMessage(e)),
                          },
                        )
                      }
                    >
                      Join
                    </button>
                  )}
                </li>
              ))}
            </ul>
            <p className="muted small" aria-live="polite">
              {directory.isError ? 'Could not load the directory; try again.' : directory.isPending ? 'Loading…' : rooms.length === 0 ? (query ? `No channel matches “${query}”.` : 'No channels yet: create the first one.') : `${rooms.length} ${rooms.length === 1 ? 'channel' : 'channels'}`}
            </p>
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="room-dialog-actions">
              <button type="button" className="btn btn-ghost" onClick={close}>
                Close
              </button>
            </div>
          </div>
        );
      }}
    </RoomDialog>
  );
}
