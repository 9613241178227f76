import { confineBidiControls } from '@chat/api/schemas';
import { memo, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { segmentText } from '../text/linkify';
import { type BlockNode, type InlineNode, parseMessage } from '../text/message-markdown';
import { watchOverflow } from './overflow-watch';

interface Mentioned {
  /** Lower-cased usernames the server recognised as mentions in this message. */
  names: ReadonlySet<string>;
  /** The viewer's own username, lower-cased. */
  me: string;
}

/** Plain text: bare http(s) URLs become links, and `@name` a chip when the server says it is a mention. */
function renderText(text: string, mentioned: Mentioned, key: string): ReactNode[] {
  // Stored text is confined already; confining each run again keeps an embedding opened here from reaching the next element.
  return segmentText(confineBidiControls(text)).map((s, i) => {
    const k = `${key}.${i}`;
    if (s.kind === 'link')
      return (
        <a key={k} href={s.href} target="_blank" rel="noopener noreferrer">
          {s.text}
        </a>
      );
    if (s.kind === 'mention') {
      const name = s.username.toLowerCase();
      if (!mentioned.names.has(name)) return s.text;
      return (
        <span key={k} className={name === mentioned.me ? 'mention mention-me' : 'mention'}>
          {s.text}
        </span>
      );
    }
    return s.text;
  });
}

function renderInline(nodes: InlineNode[], mentioned: Mentioned, key: string, inLink = false): ReactNode[] {
  return nodes.map((n, i) => {
    const k = `${key}.${i}`;
    switch (n.type) {
      case 'text':
        return inLink ? confineBidiControls(n.text) : renderText(n.text, mentioned, k);
      case 'break':
        return <br key={k} />;
      case 'code':
        return <code key={k}>{confineBidiControls(n.text)}</code>;
      case 'strong':
        return <strong key={k}>{renderInline(n.children, mentioned, k, inLink)}</strong>;
      case 'em':
        return <em key={k}>{renderInline(n.children, mentioned, k, inLink)}</em>;
      case 'strike':
        return <s key={k}>{renderInline(n.children, mentioned, k, inLink)}</s>;
      case 'link':
        return (
          <a key={k} href={n.href} target="_blank" rel="noopener noreferrer">
            {renderInline(n.children, mentioned, k, true)}
          </a>
        );
    }
  });
}

function renderBlocks(blocks: BlockNode[], mentioned: Mentioned, key = 'b'): ReactNode[] {
  return blocks.map((b, i) => {
    const k = `${key}.${i}`;
    switch (b.type) {
      case 'paragraph':
        return (
          <p key={k} className="md-p">
            {renderInline(b.children, mentioned, k)}
          </p>
        );
      case 'quote':
        return (
          <blockquote key={k} className="md-quote">
            {renderBlocks(b.children, mentioned, k)}
          </blockquote>
        );
      case 'codeBlock':
        return (
          <pre key={k} className="md-code">
            <code>{confineBidiControls(b.text)}</code>
          </pre>
        );
      case 'gap':
        // Real newlines (the box keeps white space), so the text reads and copies as it was typed.
        return (
          <span key={k} className="md-gap">
            {'\n'.repeat(b.lines)}
          </span>
        );
    }
  });
}

interface Props {
  text: string;
  /** The viewer's username. */
  me: string;
  /** Who the server recognised as mentioned; an `@name` not listed stays plain text. */
  mentions?: readonly { username: string }[] | undefined;
}

/**
 * Message text in the safe Markdown subset, built as React elements from parsed data: markup in a
 * message is never handed to the browser as HTML. A message taller than the collapsed height
 * (MessageList.css) is cut there with a "Show more" button.
 */
export const MessageText = memo(function MessageText({ text, me, mentions }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const content = useMemo(() => {
    const mentioned: Mentioned = { names: new Set((mentions ?? []).map((m) => m.username.toLowerCase())), me: me.toLowerCase() };
    return renderBlocks(parseMessage(text), mentioned);
  }, [text, me, mentions]);

  // After paint, from the list's one observer: the collapsed height is set in CSS whatever this says,
  // so a long message is already cut at first paint and its button follows a frame later. Watched
  // again when the text changes (an edit) or the box is collapsed again; the width decides the wrapping.
  useEffect(() => {
    const el = box.current;
    if (!el || expanded) return;
    return watchOverflow(el, setOverflows);
  }, [text, expanded]);

  const state = expanded ? 'expanded' : overflows ? 'collapsed' : 'whole';
  return (
    <div className="message-text-box" data-state={state}>
      <div ref={box} className="message-text">
        {content}
      </div>
      {state !== 'whole' && (
        <button type="button" className="link-button message-more" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
});
