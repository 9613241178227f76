import { MAX_GROUP_MEMBERS, SEARCH_QUERY_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { type PublicUser, trpc } from '../api/trpc';
import { Avatar } from '../ui/Avatar';
import { RoomDialog } from '../ui/RoomDialog';
import { useDebouncedValue } from '../ui/use-debounced-value';
import { roomErrorMessage } from './room-errors';
import './NewMessageDialog.css';

const DEBOUNCE_MS = 250;
/** The others a group may hold: the user is the eighth. */
const MAX_OTHERS = MAX_GROUP_MEMBERS - 1;

type Person = Pick<PublicUser, 'id' | 'username'>;

/**
 * "New message": pick one person (a DM) or up to seven (a group DM, docs/decisions/153); opening the
 * same people again finds the conversation they already have.
 */
export function NewMessageDialog({ meId, onOpened, onClose }: { meId: string; onOpened(roomId: string): void; onClose(): void }) {
  const id = useId();
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: 10 }, { enabled: query.length > 0, placeholderData: keepPreviousData });
  const [picked, setPicked] = useState<Person[]>([]);
  const [error, setError] = useState<string | null>(null);
  const openDirect = trpc.room.openDirect.useMutation();
  const openGroup = trpc.room.openGroup.useMutation();
  const busy = openDirect.isPending || openGroup.isPending;
  const results = (query ? (search.data ?? []) : []).filter((u) => u.id !== meId);
  const isPicked = (userId: string) => picked.some((p) => p.id === userId);
  const toggle = (user: Person) => setPicked((list) => (list.some((p) => p.id === user.id) ? list.filter((p) => p.id !== user.id) : [...list, { id: user.id, username: user.username }]));

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
          {picked.length > 0 && (
            <ul className="picked-people" aria-label="To">
              {picked.map((p) => (
                <li key={p.id}>
                  <button type="button" className="btn btn-secondary btn-small" aria-label={`Remove ${p.username}`} onClick={() => toggle(p)}>
                    {p.username} ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <label htmlFor={id} className="sr-only">
            Search people
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
              const on = isPicked(user.id);
              return (
                <li key={user.id}>
                  <div className="browse-room browse-person">
                    <Avatar name={user.username} user={user} size="sm" online={user.online} />
                    <span className="browse-name">{user.username}</span>
                  </div>
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
                </li>
              );
            })}
          </ul>
          <p className={error ? 'field-error' : 'muted small'} role="status">
            {error ?? (picked.length >= MAX_OTHERS ? `A group holds at most ${MAX_GROUP_MEMBERS} people, you included.` : query && !search.isFetching && results.length === 0 ? `No one matches “${query}”.` : '')}
          </p>
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
