import { describe, expect, it } from 'vitest';
import type { QueuedUpload } from './upload-queue';
import { filesForOutbox, QUEUED_FILES_MAX_BYTES } from './use-uploads';

const file = (name: string, size: number, type = 'image/png') => ({ name, size, type }) as File;

describe('filesForOutbox (a message written offline takes its files into the outbox)', () => {
  const queue: QueuedUpload[] = [
    { localId: 'a', name: 'a.png', size: 10, status: 'ready', attachmentId: 'f'.repeat(32) },
    { localId: 'b', name: 'b.png', size: 20, status: 'uploading', sent: 5 },
    { localId: 'c', name: 'c.pdf', size: 30, status: 'refused', reason: 'The server could not be reached' },
    { localId: 'd', name: 'd.png', size: 40, status: 'refused', reason: 'This file is too large' },
  ];
  const files = new Map([
    ['a', file('a.png', 10)],
    ['b', file('b.png', 20)],
    ['c', file('c.pdf', 30, 'application/pdf')],
    ['d', file('d.png', 40)],
  ]);

  it('keeps the order attached: uploaded ones by id, unfinished and connection-lost ones as the File; a refusal of the file itself stays out', () => {
    const out = filesForOutbox(queue, files, new Set(['c']));
    expect(out?.map((f) => [f.localId, f.attachmentId ?? null, f.blob ? 'blob' : null])).toEqual([
      ['a', 'f'.repeat(32), null],
      ['b', null, 'blob'],
      ['c', null, 'blob'],
    ]);
    expect(out?.[2]).toMatchObject({ name: 'c.pdf', type: 'application/pdf', size: 30 });
  });

  it('is null when every file is uploaded (the ordinary send), or when the browser would keep too much', () => {
    expect(filesForOutbox(queue.slice(0, 1), files, new Set())).toBeNull();
    const huge = new Map([['b', file('b.png', QUEUED_FILES_MAX_BYTES + 1)]]);
    expect(filesForOutbox([{ localId: 'b', name: 'b.png', size: QUEUED_FILES_MAX_BYTES + 1, status: 'uploading', sent: 0 }], huge, new Set())).toBeNull();
  });
});
