import { confineBidiControls } from '@chat/api/schemas';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import { segmentText } from './linkify';

/**
 * Message text as React text nodes: markup in a message is shown, never parsed. A message taller
 * than the collapsed height (MessageList.css) is cut there with a "Show more" button.
 */
export const MessageText = memo(function MessageText({ text, me }: { text: string; me: string }) {
  const paragraph = useRef<HTMLParagraphElement>(null);
  const [overflows, setOverflows] = useState(false);
  const [expanded, setExpanded] = useState(false);

  useLayoutEffect(() => {
    const el = paragraph.current;
    if (!el || expanded) return;
    const check = () => setOverflows(el.scrollHeight > el.clientHeight + 1);
    check();
    // The width decides how many lines the text wraps into.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(check);
    observer.observe(el);
    return () => observer.disconnect();
  }, [text, expanded]);

  const state = expanded ? 'expanded' : overflows ? 'collapsed' : 'whole';
  return (
    <div className="message-text-box" data-state={state}>
      <p ref={paragraph} className="message-text">
        {/* Stored text is confined already; this covers messages stored before that, and pending ones. */}
        {segmentText(confineBidiControls(text)).map((s, i) =>
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
      {state !== 'whole' && (
        <button type="button" className="link-button message-more" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
});
