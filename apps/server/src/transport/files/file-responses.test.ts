import { expect, it } from 'vitest';
import { contentDisposition, parseRange } from './file-responses';
import { cleanFileName } from './uploads';

it('parses one byte range within the file, and says when it is outside', () => {
  expect(parseRange(undefined, 100)).toBeNull();
  expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
  expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
  expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
  expect(parseRange('bytes=50-1000', 100)).toEqual({ start: 50, end: 99 });
  expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
  expect(parseRange('bytes=9-3', 100)).toBe('unsatisfiable');
  expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
  // Several ranges, other units and nonsense: the whole file.
  expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
  expect(parseRange('items=0-1', 100)).toBeNull();
  expect(parseRange('bytes=-', 100)).toBeNull();
});

it('names a download so that no header can be split or a quote escaped, whatever the name', () => {
  expect(contentDisposition('attachment', 'report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  const hostile = contentDisposition('attachment', 'a"; filename="evil.html\r\nSet-Cookie: x=1');
  expect(hostile).not.toMatch(/[\r\n]/);
  expect(hostile.match(/"/g)).toHaveLength(2);
  expect(contentDisposition('inline', 'café (1).png')).toBe(`inline; filename="caf_ (1).png"; filename*=UTF-8''caf%C3%A9%20%281%29.png`);
});

it('keeps a file name as a name: no path, no control or direction characters, never empty, at most 255 characters', () => {
  expect(cleanFileName('../../etc/passwd')).toBe('passwd');
  expect(cleanFileName('C:\\Users\\me\\photo.jpg')).toBe('photo.jpg');
  expect(cleanFileName('bad\u0000name\u202e.txt')).toBe('badname.txt');
  expect(cleanFileName('')).toBe('file');
  expect(cleanFileName(null)).toBe('file');
  expect(cleanFileName('..')).toBe('file');
  expect([...cleanFileName('é'.repeat(400))]).toHaveLength(255);
});
