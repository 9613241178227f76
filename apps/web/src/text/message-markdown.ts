import MarkdownIt from 'markdown-it';

/** Inline content of a message: what a paragraph or a link holds. */
export type InlineNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'strike'; children: InlineNode[] }
  | { type: 'link'; href: string; children: InlineNode[] };

/** A message as blocks; `gap` is the blank lines the author left between two blocks. */
export type BlockNode =
  | { type: 'paragraph'; children: InlineNode[] }
  | { type: 'quote'; children: BlockNode[] }
  | { type: 'codeBlock'; text: string }
  | { type: 'gap'; lines: number };

/** http(s) only: a javascript: or data: link never becomes an href, it stays text. */
export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

// The 'zero' preset turns every rule off; only the subset chat needs goes back on. Raw HTML, headings,
// lists, tables and images stay off, so they show as the text the author typed.
const md = new MarkdownIt('zero', { html: false, breaks: true }).enable(['blockquote', 'code', 'fence', 'emphasis', 'strikethrough', 'backticks', 'link', 'newline', 'escape']);
md.validateLink = (url) => safeHref(url) !== null;
// Without the image rule, `![alt](url)` would read as "!" plus a link; it stays literal text instead.
md.inline.ruler.before('link', 'image_as_text', (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x21 || state.src.charCodeAt(state.pos + 1) !== 0x5b) return false;
  if (!silent) state.pending += '![';
  state.pos += 2;
  return true;
});

type Token = ReturnType<typeof md.parse>[number];

const CONTAINERS = { strong_open: 'strong', em_open: 'em', s_open: 'strike', link_open: 'link' } as const;

function inlineNodes(tokens: readonly Token[]): InlineNode[] {
  const root: InlineNode[] = [];
  const stack: InlineNode[][] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  for (const t of tokens) {
    switch (t.type) {
      case 'text':
      case 'text_special': {
        if (!t.content) break;
        const out = top();
        const prev = out[out.length - 1];
        if (prev?.type === 'text') prev.text += t.content;
        else out.push({ type: 'text', text: t.content });
        break;
      }
      case 'softbreak':
      case 'hardbreak':
        top().push({ type: 'break' });
        break;
      case 'code_inline':
        top().push({ type: 'code', text: t.content });
        break;
      case 'strong_open':
      case 'em_open':
      case 's_open':
      case 'link_open': {
        const children: InlineNode[] = [];
        const kind = CONTAINERS[t.type];
        const href = kind === 'link' ? safeHref(String(t.attrGet('href') ?? '')) : null;
        // validateLink let only http(s) through; the check here keeps that true whatever the parser does.
        top().push(kind === 'link' ? (href ? { type: 'link', href, children } : { type: 'strong', children }) : { type: kind, children });
        stack.push(children);
        break;
      }
      case 'strong_close':
      case 'em_close':
      case 's_close':
      case 'link_close':
        if (stack.length > 1) stack.pop();
        break;
    }
  }
  return root;
}

function blockNodes(tokens: readonly Token[], from: number, to: number): BlockNode[] {
  const out: BlockNode[] = [];
  let lastEnd: number | null = null;
  const place = (t: Token, node: BlockNode) => {
    // Blank lines between blocks are the author's spacing: kept, so text reads as it was typed.
    if (t.map && lastEnd !== null && t.map[0] > lastEnd) out.push({ type: 'gap', lines: t.map[0] - lastEnd });
    if (t.map) lastEnd = t.map[1];
    out.push(node);
  };
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.type === 'paragraph_open') {
      const inline = tokens[i + 1];
      place(t, { type: 'paragraph', children: inline?.children ? inlineNodes(inline.children) : [] });
      i += 2;
    } else if (t.type === 'blockquote_open') {
      let depth = 1;
      let j = i + 1;
      for (; j < to && depth > 0; j++) {
        if (tokens[j]!.type === 'blockquote_open') depth++;
        else if (tokens[j]!.type === 'blockquote_close') depth--;
      }
      place(t, { type: 'quote', children: blockNodes(tokens, i + 1, j - 1) });
      i = j - 1;
    } else if (t.type === 'fence' || t.type === 'code_block') {
      place(t, { type: 'codeBlock', text: t.content.replace(/\n$/, '') });
    }
  }
  return out;
}

/** Parses a message's safe Markdown subset into plain data; rendering it as React text can never make HTML. */
/** The text as markdown-it reads it, with the subset above. */
export function parseMarkdown(text: string): BlockNode[] {
  const tokens = md.parse(text, {});
  return blockNodes(tokens, 0, tokens.length);
}

// Every character that starts something in the enabled rules (or that markdown-it rewrites: line
// ends, NUL), and white space at either end (a paragraph trims it). A message with none of them is
// one paragraph of its text, as markdown-it would say, without running it: most chat messages,
// which a room's first screen parses dozens of at once (decision 151).
const MARKDOWN_SIGNIFICANT = /[\n\r\0*_~`[\\>!]|^\s|\s$/;

export function parseMessage(text: string): BlockNode[] {
  if (text === '' || MARKDOWN_SIGNIFICANT.test(text)) return parseMarkdown(text);
  return [{ type: 'paragraph', children: [{ type: 'text', text }] }];
}

const inlineText = (nodes: InlineNode[]): string =>
  nodes.map((n) => (n.type === 'text' || n.type === 'code' ? n.text : n.type === 'break' ? ' ' : inlineText(n.children))).join('');
const blockText = (blocks: BlockNode[]): string =>
  blocks
    .map((b) => (b.type === 'paragraph' ? inlineText(b.children) : b.type === 'quote' ? blockText(b.children) : b.type === 'codeBlock' ? b.text : ''))
    .filter(Boolean)
    .join(' ');

/** The words without the Markdown marks, for one-line previews (a reply's quote, a notification). */
export const plainText = (text: string): string => blockText(parseMessage(text));
