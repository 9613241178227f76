import { confineBidiControls } from './bidi';

/** Length in Unicode code points, so an emoji counts as one character on client and server alike. */
export const charCount = (text: string) => [...text].length;

/**
 * NFC, CRLF as LF, no control characters other than newline and tab, and bidi controls confined
 * to their line: what is stored is what every client renders the same way.
 */
export const normalizeText = (text: string) =>
  confineBidiControls(
    text
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : '')),
  );

// Whitespace and the invisible characters that render as nothing on their own.
const INVISIBLE = /\u034F|[\s\u00AD\u115F\u1160\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]/gu;

/** True when nothing visible would be left: no zero-width-only messages. */
export const isBlank = (text: string) => text.replace(INVISIBLE, '') === '';
