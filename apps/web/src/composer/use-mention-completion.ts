import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { keepPreviousData } from '@tanstack/react-query';
import { type KeyboardEvent, useId, useRef, useState } from 'react';
import { trpc } from '../api/trpc';
import { useDebouncedValue } from '../ui/use-debounced-value';
import { insertMention, mentionAt, rankByName } from './mention-query';

const SHOWN = 8;
/** One user.search per pause in typing: the server's search limit is per user, and each key would spend it. */
const DEBOUNCE_MS = 200;

interface Options {
  /** The room written to: its members are offered; in #everyone (every user) the server's user search is. */
  roomId: string | undefined;
  meId: string | undefined;
  draft: string;
  onDraftChange(draft: string): void;
}

export interface MentionOption {
  id: string;
  username: string;
  avatar?: string;
  displayName?: string;
}

/**
 * `@` completion for the composer's textarea, in WAI-ARIA's combobox pattern with a listbox popup:
 * the textarea keeps focus and points at the highlighted option (aria-activedescendant); ↑/↓ move,
 * Enter or Tab insert `@username `, Escape closes until the next "@"; a tap inserts too.
 */
export function useMentionCompletion({ roomId, meId, draft, onDraftChange }: Options) {
  const listId = useId();
  const element = useRef<HTMLTextAreaElement | null>(null);
  const [caret, setCaret] = useState<number | null>(null);
  // The "@" whose list Escape closed: it stays closed until another "@" is typed.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [active, setActive] = useState(0);

  const mention = caret === null ? null : mentionAt(draft, Math.min(caret, draft.length));
  const wanted = mention !== null && mention.start !== dismissed;
  const everyone = roomId === undefined || roomId === EVERYONE_ROOM_ID;
  const query = useDebouncedValue(mention?.query ?? '', DEBOUNCE_MS);
  const search = trpc.user.search.useQuery({ query, limit: SHOWN + 1 }, { enabled: wanted && everyone && query.length > 0, staleTime: 30_000, placeholderData: keepPreviousData });
  const members = trpc.room.members.useQuery({ roomId: roomId ?? EVERYONE_ROOM_ID }, { enabled: wanted && !everyone, staleTime: 60_000 });
  const candidates: MentionOption[] = (everyone ? (query ? search.data : []) : members.data) ?? [];
  const options = wanted ? rankByName(candidates.filter((u) => u.id !== meId), mention.query, SHOWN) : [];
  const open = options.length > 0;
  const activeIndex = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (i: number) => `${listId}-option-${i}`;

  const track = (textarea: HTMLTextAreaElement) => {
    element.current = textarea;
    setCaret(textarea.selectionStart === textarea.selectionEnd ? textarea.selectionStart : null);
    setActive(0);
  };

  const pick = (option: MentionOption) => {
    if (!mention) return;
    const next = insertMention(draft, mention, option.username);
    onDraftChange(next.text);
    setCaret(next.caret);
    // After React has put the new text in the textarea, and only if nothing was typed since: a late
    // frame must not pull the caret back into the middle of what came after.
    requestAnimationFrame(() => {
      const textarea = element.current;
      if (!textarea || textarea.value !== next.text) return;
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
    });
  };

  /** Handles the key when the list is open; true when the composer must not act on it too. */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || !mention || e.nativeEvent.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((activeIndex + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if ((e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey)) {
      e.preventDefault();
      pick(options[activeIndex]!);
    } else if (e.key === 'Escape') {
      // Closes the list only: a reply being written stays.
      e.preventDefault();
      e.stopPropagation();
      setDismissed(mention.start);
    } else return false;
    return true;
  };

  return {
    onKeyDown,
    track,
    inputProps: {
      'aria-autocomplete': 'list' as const,
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? optionId(activeIndex) : undefined,
      onSelect: (e: { currentTarget: HTMLTextAreaElement }) => track(e.currentTarget),
      onBlur: () => setCaret(null),
    },
    listProps: { id: listId, options, activeIndex, optionId, onPick: pick, onHover: setActive },
  };
}
