import { SEARCH_QUERY_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { type PublicUser, trpc } from '../api/trpc';
import { Avatar } from '../ui/Avatar';
import { useDebouncedValue } from '../ui/use-debounced-value';
import './UserPicker.css';

const DEBOUNCE_MS = 250;

export type PickedPerson = Pick<PublicUser, 'id' | 'username'>;

interface Props {
  /** The search field's name for screen readers. */
  label: string;
  /** A user left out of the results (the one picking, where picking oneself makes no sense). */
  excludeId?: string;
  /** What each found user's row offers (Add, Added, "In the room"). */
  action(user: PublicUser): ReactNode;
  /** The people picked so far, as chips above the search that remove them; none shown when absent or empty. */
  picked?: { people: readonly PickedPerson[]; remove(person: PickedPerson): void };
  /** What the status line says instead of "No one matches …" (an error, a limit reached); null for the default. */
  note: { text: string; error: boolean } | null;
}

/** Finding people by username: the search field, the users found with an action each, the picked chips, one status line. */
export function UserPicker({ label, excludeId, action, picked, note }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: 10 }, { enabled: query.length > 0, placeholderData: keepPreviousData });
  const results = (query ? (search.data ?? []) : []).filter((user) => user.id !== excludeId);
  return (
    <>
      {picked && picked.people.length > 0 && (
        <ul className="picked-people" aria-label="To">
          {picked.people.map((person) => (
            <li key={person.id}>
              <button type="button" className="btn btn-secondary btn-small" aria-label={`Remove ${person.username}`} onClick={() => picked.remove(person)}>
                {person.username} ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={id} className="sr-only">
        {label}
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
        {results.map((user) => (
          <li key={user.id}>
            <div className="browse-room browse-person">
              <Avatar name={user.username} user={user} size="sm" online={user.online} />
              <span className="browse-name">{user.username}</span>
            </div>
            {action(user)}
          </li>
        ))}
      </ul>
      <p className={note?.error ? 'field-error' : 'muted small'} role="status">
        {note?.text ?? (query && !search.isFetching && results.length === 0 ? `No one matches “${query}”.` : '')}
      </p>
    </>
  );
}
