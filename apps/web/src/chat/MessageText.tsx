import { memo } from 'react';
import { segmentText } from './linkify';

/** Message text as React text nodes: markup in a message is shown, never parsed. */
export const MessageText = memo(function MessageText({ text, me }: { text: string; me: string }) {
  return (
    <p className="message-text">
      {segmentText(text).map((s, i) =>
        s.kind === 'link' ? (
          <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">
            {s.text}
          </a>
        ) : s.kind === 'mention' ? (
          <span key={i} className={s.username.toLowerCase() === me.toLowerCase() ? 'mention mention-me' : 'mention'}>
            {s.text}
          </span>
        ) : (
          s.text
        ),
      )}
    </p>
  );
});
