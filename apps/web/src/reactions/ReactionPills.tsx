import { sameEmoji } from '@chat/client/core';
import type { ChatMessage } from '../api/trpc';
import { reactionLabel } from './reaction-label';

interface Props {
  reactions: NonNullable<ChatMessage['reactions']>;
  meId: string;
  /** Emoji whose state is the user's own reaction still in the outbox (shown, styled as not sent yet). */
  pending?: readonly string[] | undefined;
  onToggle(emoji: string, on: boolean): void;
  onAdd(anchor: HTMLElement): void;
}

/** One pill per emoji (count, who reacted in its name and tooltip); a click adds or takes back the viewer's own. */
export function ReactionPills({ reactions, meId, pending = [], onToggle, onAdd }: Props) {
  return (
    <div className="reaction-pills" role="group" aria-label="Reactions">
      {reactions.map((r) => {
        const waiting = pending.some((e) => sameEmoji(e, r.emoji));
        const label = waiting ? `${reactionLabel(r, meId)} (not sent yet)` : reactionLabel(r, meId);
        return (
          <button
            key={r.emoji}
            type="button"
            className={waiting ? 'reaction-pill reaction-pill-pending' : 'reaction-pill'}
            aria-pressed={r.me}
            aria-label={label}
            title={label}
            onClick={() => onToggle(r.emoji, !r.me)}
          >
            <span aria-hidden="true">{r.emoji}</span>
            <span className="reaction-count" aria-hidden="true">
              {r.count}
            </span>
          </button>
        );
      })}
      <button type="button" className="reaction-pill reaction-add" aria-label="Add a reaction" title="Add a reaction" onClick={(e) => onAdd(e.currentTarget)}>
        <SmileyPlus />
      </button>
    </div>
  );
}

export function SmileyPlus() {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path
        d="M11 3a8 8 0 1 0 8 8h-2a6 6 0 1 1-6-6zm-3 6.5a1.5 1.5 0 1 0 3 0 1.5 1.5 0 0 0-3 0m5 0a1.5 1.5 0 1 0 3 0 1.5 1.5 0 0 0-3 0M7.5 13a4 4 0 0 0 7 0zM18 2v3h-3v2h3v3h2V7h3V5h-3V2z"
        fill="currentColor"
      />
    </svg>
  );
}
