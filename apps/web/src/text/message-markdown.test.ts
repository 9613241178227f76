import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarkdown, parseMessage, plainText } from './message-markdown';

const inline = (text: string) => {
  const [first] = parseMessage(text);
  if (first?.type !== 'paragraph') throw new Error(`not a paragraph: ${JSON.stringify(first)}`);
  return first.children;
};

describe('parseMessage', () => {
  it('reads bold, italic, strike and inline code', () => {
    expect(inline('**b** _i_ ~~s~~ `c <b>`')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'b' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'i' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 's' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'c <b>' },
    ]);
  });

  it('keeps http(s) links and leaves any other scheme as the text that was typed', () => {
    expect(inline('[site](https://example.com/a)')).toEqual([{ type: 'link', href: 'https://example.com/a', children: [{ type: 'text', text: 'site' }] }]);
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'JAVASCRIPT:alert(1)', 'vbscript:x', '//evil.example/x']) {
      expect(inline(`[x](${url})`)).toEqual([{ type: 'text', text: `[x](${url})` }]);
    }
  });

  it('leaves headings, lists, tables, images and raw HTML as text', () => {
    const text = '# head\n- item\n1. one\n| a | b |\n![img](https://example.com/i.png)\n<img src=x onerror=alert(1)>';
    const nodes = inline(text);
    expect(nodes.filter((n) => n.type !== 'text' && n.type !== 'break')).toEqual([]);
    expect(nodes.map((n) => (n.type === 'text' ? n.text : '\n')).join('')).toBe(text);
  });

  it('reads line breaks, quotes and code blocks', () => {
    expect(parseMessage('> quoted\nline\n\n```\n<script>x</script>\n```')).toEqual([
      { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'quoted' }, { type: 'break' }, { type: 'text', text: 'line' }] }] },
      { type: 'gap', lines: 1 },
      { type: 'codeBlock', text: '<script>x</script>' },
    ]);
  });

  it('keeps the blank lines the author left, however many', () => {
    expect(parseMessage(`a${'\n'.repeat(1998)}z`)).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: 'a' }] },
      { type: 'gap', lines: 1997 },
      { type: 'paragraph', children: [{ type: 'text', text: 'z' }] },
    ]);
  });
});

describe('plainText', () => {
  it('drops the marks and keeps the words', () => {
    expect(plainText('The plan for **Friday**: `make` it _work_ [here](https://example.com)')).toBe('The plan for Friday: make it work here');
  });
});

describe('parseMessage without markdown-it (plain text)', () => {
  it('reads every text exactly as markdown-it does', () => {
    // Mostly letters, now and then a character near a rule's trigger, so both paths are taken often
    // and a lone trigger (two stars around a word) is not drowned by others.
    const plain = fc.constantFrom('a', 'Z', ' ', 'é', '😀', ':', '@ann', 'http://x.y', '\u202e');
    const special = fc.constantFrom(' ', '\t', '\n', '\r', '\0', '*', '_', '~', '`', '[', ']', '(', ')', '\\', '>', '!', '#', '-', '1.', '&amp;', '<b>', '\u00a0');
    const pieces = fc.oneof({ weight: 8, arbitrary: plain }, { weight: 1, arbitrary: special });
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(parseMessage(text)).toEqual(parseMarkdown(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('is one paragraph of the text for a plain message', () => {
    expect(parseMessage('see you at 10: the usual place, ok?')).toEqual([{ type: 'paragraph', children: [{ type: 'text', text: 'see you at 10: the usual place, ok?' }] }]);
  });
});
