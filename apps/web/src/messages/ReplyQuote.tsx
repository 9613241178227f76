import { confineBidiControls } from '@chat/api/schemas';
import type { ReplyTarget } from '../api/room-types';
import { plainText } from '../text/message-markdown';

interface Props {
  quote: ReplyTarget;
  meId: string;
  /** Without it (a reply still being sent) the quote is not a button. */
  onJump?: (() => void) | undefined;
}

/** A reply's compact quote of its original: author and first line, or that it was deleted; a click jumps to it. */
export function ReplyQuote({ quote, meId, onJump }: Props) {
  const who = quote.author.id === meId ? 'You' : quote.author.username;
  const content = (
    <>
      <span className="reply-quote-author">{who}</span>
      <span className="reply-quote-text">{quote.deleted ? <em>Message deleted</em> : confineBidiControls(plainText(quote.excerpt))}</span>
    </>
  );
  if (!onJump) return <div className="reply-quote">{content}</div>;
  return (
    <button type="button" className="reply-quote" onClick={onJump} aria-label={`Reply to ${who}: ${quote.deleted ? 'message deleted' : plainText(quote.excerpt)}. Show the original`}>
      {content}
    </button>
  );
}
