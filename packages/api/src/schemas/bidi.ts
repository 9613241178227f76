// Bidirectional formatting characters in user text (docs/decisions/041-bidi-controls.md).

const LRE = '\u202A';
const RLE = '\u202B';
const PDF = '\u202C';
const LRO = '\u202D';
const RLO = '\u202E';
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';

/** Embeddings, overrides and isolates: the characters that reorder text until they are closed. */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const CONTROL_OR_LINE_END = /[\u202A-\u202E\u2066-\u2069\n\u2028\u2029]/g;

// Deeper nesting has no honest use; openers past it are dropped, which keeps what is added small.
const MAX_DEPTH = 16;

type Opened = 'embedding' | 'isolate';
const closerOf = (o: Opened) => (o === 'isolate' ? PDI : PDF);

/**
 * Keeps every embedding and isolate inside its own line: closers without an opener are dropped,
 * openers still open at a line end (or the end of the text) are closed there, in the nesting order
 * the Unicode Bidirectional Algorithm uses (a PDI also closes the embeddings opened inside its
 * isolate; a PDF never closes across an isolate). Overrides (LRO, RLO) are dropped: they reverse
 * letters against their own direction, which is how "invoice\u202Efdp.exe" shows as "invoiceexe.pdf",
 * and plain text has no other use for them. The marks LRM, RLM and ALM reorder nothing and stay.
 */
export function confineBidiControls(text: string): string {
  if (!BIDI_CONTROL.test(text)) return text;
  const open: Opened[] = [];
  const closeFrom = (index: number) =>
    open
      .splice(index)
      .reverse()
      .map(closerOf)
      .join('');
  const opening = (kind: Opened, c: string) => {
    if (open.length >= MAX_DEPTH) return '';
    open.push(kind);
    return c;
  };
  const confined = text.replace(CONTROL_OR_LINE_END, (c) => {
    switch (c) {
      case LRO:
      case RLO:
        return '';
      case LRE:
      case RLE:
        return opening('embedding', c);
      case LRI:
      case RLI:
      case FSI:
        return opening('isolate', c);
      case PDF:
        return open.at(-1) === 'embedding' ? closeFrom(open.length - 1) : '';
      case PDI: {
        const isolate = open.lastIndexOf('isolate');
        return isolate < 0 ? '' : closeFrom(isolate);
      }
      default:
        return closeFrom(0) + c;
    }
  });
  return confined + closeFrom(0);
}
