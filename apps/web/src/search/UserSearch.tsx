import { SEARCH_QUERY_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useState } from 'react';
import { type PublicUser, trpc } from '../api/trpc';
import { Avatar } from '../ui/Avatar';
import { useDebouncedValue } from './use-debounced-value';
import './UserSearch.css';

const DEBOUNCE_MS = 250;

interface Props {
  onSelect(user: PublicUser): void;
  selectedId: string | null;
}

/** A combobox over user.search: arrows move, Enter opens the profile, Escape clears. */
export function UserSearch({ onSelect, selectedId }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: 20 }, { enabled: query.length > 0, placeholderData: keepPreviousData, staleTime: 10_000 });
  const results = query ? (search.data ?? []) : [];
  const open = text.trim().length > 0;
  const waiting = open && (query !== text.trim() || search.isFetching);
  const activeIndex = Math.min(active, Math.max(0, results.length - 1));
  const optionId = (i: number) => `${id}-opt-${i}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' && results.length) {
      e.preventDefault();
      setActive((activeIndex + 1) % results.length);
    } else if (e.key === 'ArrowUp' && results.length) {
      e.preventDefault();
      setActive((activeIndex - 1 + results.length) % results.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const user = results[activeIndex];
      if (user) onSelect(user);
    } else if (e.key === 'Escape') {
      setText('');
    }
  };

  return (
    <div className="user-search">
      <label htmlFor={id} className="panel-title">
        Find people
      </label>
      <div className="search-input-wrap">
        <svg className="search-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path d="M10.5 4a6.5 6.5 0 1 0 4 11.6l4.4 4.4 1.4-1.4-4.4-4.4A6.5 6.5 0 0 0 10.5 4zm0 2a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9z" fill="currentColor" />
        </svg>
        <input
          id={id}
          type="search"
          role="combobox"
          placeholder="Search by username"
          autoComplete="off"
          spellCheck={false}
          maxLength={SEARCH_QUERY_MAX}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          aria-expanded={open && results.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open && results.length ? optionId(activeIndex) : undefined}
        />
        {waiting && <span className="spinner search-spinner" aria-hidden="true" />}
      </div>
      <ul id={`${id}-list`} role="listbox" aria-label="Search results" className="search-results">
        {results.map((user, i) => (
          <li
            key={user.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === activeIndex}
            className={[i === activeIndex ? 'active' : '', user.id === selectedId ? 'chosen' : ''].join(' ')}
            onMouseEnter={() => setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onSelect(user)}
          >
            <Avatar name={user.username} size="sm" online={user.online} />
            <span className="search-name">{user.username}</span>
            {user.online && <span className="sr-only">, online</span>}
          </li>
        ))}
      </ul>
      <p className="search-state muted small" aria-live="polite">
        {!open
          ? 'Type a name to find someone.'
          : waiting && results.length === 0
            ? 'Searching…'
            : search.isError
              ? 'Search failed; try again.'
              : results.length === 0
                ? `No one matches “${text.trim()}”.`
                : `${results.length} ${results.length === 1 ? 'person' : 'people'} found`}
      </p>
    </div>
  );
}
