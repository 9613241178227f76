import { confineBidiControls, SEARCH_MESSAGES_QUERY_MAX } from '@chat/api/schemas';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { trpc, type RouterOutputs } from '../api/trpc';
import { formatFull, formatTime } from '../text/format-time';
import { messageActionError } from '../messages/message-action-errors';
import './MessageSearch.css';

export type SearchResult = RouterOutputs['chat']['search']['results'][number];

const PAGE_SIZE = 20;

interface Props {
  /** The room's name as the sidebar shows it, or null for a room no longer in the list. */
  roomName(roomId: string): string | null;
  onOpen(roomId: string, messageId: string): void;
  onClose(): void;
}

/** The snippet as text with the matched words in <mark>: segments, never HTML from the server. */
export function Snippet({ segments }: { segments: SearchResult['snippet'] }) {
  return (
    <span className="search-snippet">
      {segments.map((s, i) => (s.match ? <mark key={i}>{confineBidiControls(s.text)}</mark> : confineBidiControls(s.text)))}
    </span>
  );
}

/** Full-text search over the user's rooms (chat.search): newest first, "More results" pages back, a result opens in its room. */
export function MessageSearch({ roomName, onOpen, onClose }: Props) {
  const utils = trpc.useUtils();
  const id = useId();
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => box.current?.focus(), []);

  const search = useInfiniteQuery({
    queryKey: [['chat', 'search'], { query }],
    queryFn: ({ pageParam, signal }) => utils.client.chat.search.query({ query, limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) }, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextBefore,
    enabled: query !== '',
    retry: false,
    staleTime: 30_000,
  });
  const results = search.data?.pages.flatMap((p) => p.results) ?? [];

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
  };

  return (
    <div className="message-search glass" role="dialog" aria-label="Search messages" onKeyDown={onKeyDown}>
      <form
        className="message-search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(input.trim());
        }}
      >
        <label htmlFor={`${id}-q`} className="sr-only">
          Search messages
        </label>
        <input
          ref={box}
          id={`${id}-q`}
          type="search"
          className="message-search-input"
          placeholder="Search messages…"
          value={input}
          maxLength={SEARCH_MESSAGES_QUERY_MAX}
          onChange={(e) => setInput(e.target.value)}
          enterKeyHint="search"
        />
        <button type="submit" className="btn btn-primary btn-small" disabled={!input.trim()}>
          Search
        </button>
        <button type="button" className="icon-button" aria-label="Close search" onClick={onClose}>
          ×
        </button>
      </form>
      <div className="message-search-results" aria-live="polite" aria-busy={search.isFetching}>
        {query === '' ? (
          <p className="muted small">Words from any message in your rooms; press Enter to search.</p>
        ) : search.status === 'pending' ? (
          <p className="muted small">
            <span className="spinner" aria-hidden="true" /> Searching…
          </p>
        ) : search.status === 'error' ? (
          <p className="field-error small" role="alert">
            {messageActionError(search.error)}
          </p>
        ) : results.length === 0 ? (
          <p className="muted small">No messages match “{query}”.</p>
        ) : (
          <>
            <ul className="search-results">
              {results.map(({ message, snippet }) => (
                <li key={message.id}>
                  <button type="button" className="search-result" onClick={() => onOpen(message.roomId, message.id)}>
                    <span className="search-result-meta">
                      <span className="search-result-room">{roomName(message.roomId) ?? 'A room you left'}</span>
                      <span className="search-result-author">{message.author.username}</span>
                      <time dateTime={message.createdAt} title={formatFull(message.createdAt)}>
                        {formatTime(message.createdAt)}
                      </time>
                    </span>
                    <Snippet segments={snippet} />
                  </button>
                </li>
              ))}
            </ul>
            {search.hasNextPage && (
              <button type="button" className="btn btn-ghost btn-small search-more" disabled={search.isFetchingNextPage} onClick={() => void search.fetchNextPage()}>
                {search.isFetchingNextPage ? 'Loading…' : 'More results'}
              </button>
            )}
          </>
        )}
      </div>
    </div>
  );
}
