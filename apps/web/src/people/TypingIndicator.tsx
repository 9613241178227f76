import { describeTyping, type TypingUsers } from './typing-users';
import './TypingIndicator.css';

/** "alice is typing…" over the composer; the line is always there so screen readers follow its changes. */
export function TypingIndicator({ users }: { users: TypingUsers }) {
  const text = describeTyping(users);
  return (
    <p className="typing-indicator" aria-live="polite" aria-atomic="true" data-testid="typing-indicator">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span className="typing-text">{text}</span>
        </>
      )}
    </p>
  );
}
