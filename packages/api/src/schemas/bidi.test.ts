import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confineBidiControls } from './bidi';
import { normalizeText } from './text';

const [LRE, RLE, PDF, LRO, RLO] = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'];
const [LRI, RLI, FSI, PDI] = ['\u2066', '\u2067', '\u2068', '\u2069'];
const [LRM, RLM, ALM] = ['\u200E', '\u200F', '\u061C'];
const CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** True when, line by line, every closer closes the latest opener it may close and nothing stays open. */
function isConfined(text: string): boolean {
  for (const line of text.split(/[\n\u2028\u2029]/)) {
    const open: string[] = [];
    for (const c of line) {
      if (c === LRO || c === RLO) return false;
      if (c === LRE || c === RLE) open.push('e');
      else if (c === LRI || c === RLI || c === FSI) open.push('i');
      else if (c === PDF && open.pop() !== 'e') return false;
      else if (c === PDI && open.pop() !== 'i') return false;
    }
    if (open.length > 0) return false;
  }
  return true;
}

const bidiText = fc
  .array(fc.constantFrom('a', 'b', ' ', '.', '\u05D0', '\u0627', '1', '\n', '\u2028', '\u2029', LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM), { maxLength: 60 })
  .map((cs) => cs.join(''));

describe('confineBidiControls', () => {
  it('cannot make "invoice\\u202Efdp.exe" pose as "invoiceexe.pdf": overrides are dropped', () => {
    expect(confineBidiControls(`invoice${RLO}fdp.exe`)).toBe('invoicefdp.exe');
    expect(confineBidiControls(`a${LRO}b${PDF}c`)).toBe('abc');
  });

  it('closes isolates and embeddings left open at the end of their line, and drops closers with no opener', () => {
    expect(confineBidiControls(`${RLI}\u05E9\u05DC\u05D5\u05DD\nnext line`)).toBe(`${RLI}\u05E9\u05DC\u05D5\u05DD${PDI}\nnext line`);
    expect(confineBidiControls(`x${RLE}y${LRI}z`)).toBe(`x${RLE}y${LRI}z${PDI}${PDF}`);
    expect(confineBidiControls(`${PDI}${PDF}plain${PDI}`)).toBe('plain');
    // A PDI closes the embeddings opened inside its isolate; a PDF cannot close across an isolate.
    expect(confineBidiControls(`${RLI}a${LRE}b${PDI}c`)).toBe(`${RLI}a${LRE}b${PDF}${PDI}c`);
    expect(confineBidiControls(`${RLE}a${LRI}b${PDF}c`)).toBe(`${RLE}a${LRI}bc${PDI}${PDF}`);
  });

  it('keeps balanced controls and the LRM, RLM and ALM marks as they are', () => {
    const text = `price ${RLI}\u05DE\u05D7\u05D9\u05E8${PDI} ${LRM}10${RLM} ${ALM}x ${LRE}y${PDF}`;
    expect(confineBidiControls(text)).toBe(text);
  });

  it('leaves every opener with its closer on the same line, whatever the input', () => {
    fc.assert(fc.property(bidiText, (text) => isConfined(confineBidiControls(text))));
  });

  it('is idempotent and changes nothing but bidi controls', () => {
    fc.assert(
      fc.property(bidiText, (text) => {
        const once = confineBidiControls(text);
        return confineBidiControls(once) === once && once.replace(CONTROLS, '') === text.replace(CONTROLS, '');
      }),
    );
  });

  it('is applied by normalizeText, so stored messages and search queries are confined', () => {
    expect(normalizeText(`invoice${RLO}fdp.exe`)).toBe('invoicefdp.exe');
    expect(normalizeText(`${RLI}a\r\nb`)).toBe(`${RLI}a${PDI}\nb`);
  });
});
