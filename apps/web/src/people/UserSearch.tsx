import { SEARCH_QUERY_MAX } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useState } from 'react';
import { type PublicUser, trpc } from '../api/trpc';
import { Avatar } from '../ui/Avatar';
import { shownName } from './shown-name';
import { useDebouncedValue } from '../ui/use-debounced-value';
import './UserSearch.css';

const DEBOUNCE_MS = 250;

interface Props {
  onSelect(user: PublicUser): void;
  /** Opens (or creates) the direct-message room with this person. */
  onMessage(user: PublicUser): void;
  messaging: boolean;
  selectedId: string | null;
  meId: string;
}

/** A result's cells: its name (opens the profile) and, for anyone but the viewer, "Message". */
const NAME = 0;
const MESSAGE = 1;

/**
 * A combobox over user.search whose results are a grid (WAI-ARIA's combobox with a grid popup), so
 * each row can carry its "Message" action and stay one keyboard stop: ↑/↓ move between people, → and
 * ← between the name and "Message", Enter acts on the highlighted cell, Escape clears.
 */
export function UserSearch({ onSelect, onMessage, messaging, selectedId, meId }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [column, setColumn] = useState(NAME);
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: 20 }, { enabled: query.length > 0, placeholderData: keepPreviousData, staleTime: 10_000 });
  const results = query ? (search.data ?? []) : [];
  const open = text.trim().length > 0;
  const waiting = open && (query !== text.trim() || search.isFetching);
  const activeIndex = Math.min(active, Math.max(0, results.length - 1));
  const activeUser = results[activeIndex];
  const canMessage = (user: PublicUser) => user.id !== meId;
  const activeColumn = activeUser && canMessage(activeUser) ? column : NAME;
  const cellId = (i: number, c: number) => `${id}-cell-${i}-${c}`;
  const act = (user: PublicUser, c: number) => {
    if (c === MESSAGE) {
      if (!messaging) onMessage(user);
    } else onSelect(user);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    if (e.key === 'ArrowDown' && results.length) {
      e.preventDefault();
      setActive((activeIndex + 1) % results.length);
    } else if (e.key === 'ArrowUp' && results.length) {
      e.preventDefault();
      setActive((activeIndex - 1 + results.length) % results.length);
    } else if (e.key === 'ArrowRight' && activeUser && canMessage(activeUser) && activeColumn === NAME && input.selectionStart === input.value.length) {
      // Only from the end of the text: elsewhere → still moves the caret.
      e.preventDefault();
      setColumn(MESSAGE);
    } else if (e.key === 'ArrowLeft' && activeColumn === MESSAGE) {
      e.preventDefault();
      setColumn(NAME);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (activeUser) act(activeUser, activeColumn);
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
            setColumn(NAME);
          }}
          onKeyDown={onKeyDown}
          aria-haspopup="grid"
          aria-expanded={open && results.length > 0}
          aria-controls={`${id}-grid`}
          aria-autocomplete="list"
          aria-activedescendant={open && results.length ? cellId(activeIndex, activeColumn) : undefined}
        />
        {waiting && <span className="spinner search-spinner" aria-hidden="true" />}
      </div>
      <div id={`${id}-grid`} role="grid" aria-label="Search results" className="search-results">
        {results.map((user, i) => {
          const activeRow = i === activeIndex;
          const cellClass = (c: number) => `search-cell${activeRow && c === activeColumn ? ' active' : ''}`;
          return (
            <div
              key={user.id}
              role="row"
              aria-selected={activeRow}
              className={['search-row', activeRow ? 'active' : '', user.id === selectedId ? 'chosen' : ''].join(' ')}
              // The input keeps focus (and the highlighted cell) while the pointer picks a cell.
              onMouseDown={(e) => e.preventDefault()}
            >
              <div
                id={cellId(i, NAME)}
                role="gridcell"
                className={`${cellClass(NAME)} search-person`}
                onMouseEnter={() => {
                  setActive(i);
                  setColumn(NAME);
                }}
                onClick={() => act(user, NAME)}
              >
                <Avatar name={user.username} user={user} size="sm" online={user.online} />
                <span className="search-name">
                  {shownName(user)}
                  {user.displayName && <span className="search-username"> @{user.username}</span>}
                </span>
                {user.online && <span className="sr-only">, online</span>}
              </div>
              {canMessage(user) && (
                <div
                  id={cellId(i, MESSAGE)}
                  role="gridcell"
                  className={cellClass(MESSAGE)}
                  onMouseEnter={() => {
                    setActive(i);
                    setColumn(MESSAGE);
                  }}
                >
                  {/* Out of the tab order: the combobox is the one keyboard stop, → reaches this cell. */}
                  <button
                    type="button"
                    tabIndex={-1}
                    className="btn btn-ghost btn-small search-message"
                    onClick={() => act(user, MESSAGE)}
                    disabled={messaging}
                    aria-label={`Message ${user.username}`}
                  >
                    Message
                  </button>
                </div>
              )}
            </div>
          );
        })}
      </div>
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
