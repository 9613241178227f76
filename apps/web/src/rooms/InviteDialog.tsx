import type { Room } from '../api/room-types';
import { SEARCH_QUERY_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { trpc } from '../api/trpc';
import { useDebouncedValue } from '../ui/use-debounced-value';
import { Avatar } from '../ui/Avatar';
import { roomErrorMessage } from './room-errors';
import { RoomDialog } from '../ui/RoomDialog';

const DEBOUNCE_MS = 250;

/** Find people and add them to the room; members already in it say so. */
export function InviteDialog({ room, memberIds, onClose }: { room: Room; memberIds: ReadonlySet<string>; onClose(): void }) {
  const id = useId();
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: 10 }, { enabled: query.length > 0, placeholderData: keepPreviousData });
  const invite = trpc.room.invite.useMutation();
  const [added, setAdded] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const results = query ? (search.data ?? []) : [];

  return (
    <RoomDialog title={`Add people to ${room.name}`} onClose={onClose}>
      {(close) => (
        <div className="browse">
          <label htmlFor={id} className="sr-only">
            Search people to add
          </label>
          <input
            id={id}
            type="search"
            className="browse-search"
            placeholder="Search by username"
            autoComplete="off"
            spellCheck={false}
            maxLength={SEARCH_QUERY_MAX}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <ul className="browse-list" aria-label="People found">
            {results.map((user) => {
              const inRoom = memberIds.has(user.id) || added.has(user.id);
              return (
                <li key={user.id}>
                  <div className="browse-room browse-person">
                    <Avatar name={user.username} user={user} size="sm" online={user.online} />
                    <span className="browse-name">{user.username}</span>
                  </div>
                  {inRoom ? (
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
                  )}
                </li>
              );
            })}
          </ul>
          <p className={message?.error ? 'field-error' : 'muted small'} role="status">
            {message?.text ?? (query && !search.isFetching && results.length === 0 ? `No one matches “${query}”.` : '')}
          </p>
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
