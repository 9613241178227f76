import { Avatar } from '../ui/Avatar';
import type { MentionOption } from './use-mention-completion';
import './MentionList.css';

interface Props {
  id: string;
  options: MentionOption[];
  activeIndex: number;
  optionId(index: number): string;
  onPick(option: MentionOption): void;
  onHover(index: number): void;
}

/** The people an `@` can name, above the composer; the textarea keeps focus (aria-activedescendant). */
export function MentionList({ id, options, activeIndex, optionId, onPick, onHover }: Props) {
  if (options.length === 0) return null;
  return (
    <ul id={id} className="mention-list glass" role="listbox" aria-label="People to mention">
      {options.map((option, i) => (
        <li
          key={option.id}
          id={optionId(i)}
          role="option"
          aria-selected={i === activeIndex}
          className={i === activeIndex ? 'mention-option active' : 'mention-option'}
          // A tap or click must not take focus from the textarea, or its caret (and the "@" typed) would be lost.
          onPointerDown={(e) => e.preventDefault()}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(option)}
          onPointerEnter={() => onHover(i)}
        >
          <Avatar name={option.username} user={option} size="sm" />
          {/* The display name, and the unique name a mention inserts (a display name could pass for someone else's). */}
          <span className="mention-name">{option.displayName ?? option.username}</span>
          {option.displayName && <span className="mention-handle">@{option.username}</span>}
        </li>
      ))}
    </ul>
  );
}
