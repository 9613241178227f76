import { EmojiPicker, type EmojiPickerListComponents } from 'frimousse';
import { type KeyboardEvent, useEffect, useRef } from 'react';
import './ReactionPicker.css';

/** emojibase-data served by our own server (vite.config.ts): the CSP forbids any other host. */
const EMOJIBASE_URL: string = import.meta.env.VITE_EMOJIBASE_URL ?? '/emojibase';

/** One tap for the usual answers; the full set is one search away. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

// Module-level, so the list keeps its rows between renders.
const LIST_COMPONENTS: EmojiPickerListComponents = {
  CategoryHeader: ({ category, ...props }) => (
    <div className="emoji-picker-category" {...props}>
      {category.label}
    </div>
  ),
  Row: ({ children, ...props }) => (
    <div className="emoji-picker-row" {...props}>
      {children}
    </div>
  ),
  Emoji: ({ emoji, ...props }) => (
    <button className="emoji-picker-emoji" data-active={emoji.isActive || undefined} aria-label={emoji.label} {...props}>
      {emoji.emoji}
    </button>
  ),
};

interface Props {
  onPick(emoji: string): void;
  onClose(): void;
}

/**
 * The reaction picker (frimousse, a headless React picker over emojibase data): quick reactions,
 * then search and the whole set, all reachable by keyboard (arrows move in the list, Enter picks).
 * Escape closes it.
 */
export function ReactionPicker({ onPick, onClose }: Props) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    onClose();
  };

  return (
    <div ref={root} className="reaction-picker glass" role="dialog" aria-label="Add a reaction" onKeyDown={onKeyDown}>
      <div className="quick-reactions" role="group" aria-label="Quick reactions">
        {QUICK_REACTIONS.map((emoji) => (
          <button key={emoji} type="button" className="quick-reaction" aria-label={`React with ${emoji}`} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      <EmojiPicker.Root className="emoji-picker" emojibaseUrl={EMOJIBASE_URL} columns={8} onEmojiSelect={({ emoji }) => onPick(emoji)}>
        <EmojiPicker.Search className="emoji-picker-search" placeholder="Search emoji…" aria-label="Search emoji" autoFocus />
        <EmojiPicker.Viewport className="emoji-picker-viewport">
          <EmojiPicker.Loading className="emoji-picker-note">Loading emoji…</EmojiPicker.Loading>
          <EmojiPicker.Empty className="emoji-picker-note">No emoji found.</EmojiPicker.Empty>
          <EmojiPicker.List
            className="emoji-picker-list"
            components={LIST_COMPONENTS}
          />
        </EmojiPicker.Viewport>
      </EmojiPicker.Root>
    </div>
  );
}
