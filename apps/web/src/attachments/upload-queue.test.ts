import { describe, expect, it } from 'vitest';
import { formatBytes, type QueuedUpload, refusalSentence, summarize, uploadQueue } from './upload-queue';

const run = (...actions: Parameters<typeof uploadQueue>[1][]) => actions.reduce<QueuedUpload[]>(uploadQueue, []);
const id = (n: number) => n.toString(16).padStart(32, '0');

describe('uploadQueue', () => {
  it('tracks progress, never backwards nor past the size, and sends only finished files', () => {
    const state = run(
      { type: 'added', localId: 'a', name: 'a.png', size: 100 },
      { type: 'added', localId: 'b', name: 'b.pdf', size: 50 },
      { type: 'progress', localId: 'a', sent: 60 },
      { type: 'progress', localId: 'a', sent: 40 },
      { type: 'progress', localId: 'b', sent: 500 },
      { type: 'finished', localId: 'b', attachmentId: id(2) },
    );
    expect(state[0]).toMatchObject({ status: 'uploading', sent: 60 });
    expect(state[1]).toMatchObject({ status: 'ready', attachmentId: id(2) });
    expect(summarize(state)).toEqual({ attachmentIds: [id(2)], uploading: true, tooMany: false });
  });

  it('a cancelled file leaves the queue, and a late progress or finish for it changes nothing', () => {
    const state = run(
      { type: 'added', localId: 'a', name: 'a.png', size: 100 },
      { type: 'removed', localId: 'a' },
      { type: 'progress', localId: 'a', sent: 10 },
      { type: 'finished', localId: 'a', attachmentId: id(1) },
    );
    expect(state).toEqual([]);
    expect(summarize(state).uploading).toBe(false);
  });

  it('a refusal keeps the file with its sentence, stays after sending, and is not sent', () => {
    const state = run(
      { type: 'added', localId: 'a', name: 'huge.bin', size: 100 },
      { type: 'added', localId: 'b', name: 'ok.pdf', size: 10 },
      { type: 'refused', localId: 'a', reason: 'This file is larger than 25 MB' },
      { type: 'finished', localId: 'b', attachmentId: id(3) },
      { type: 'finished', localId: 'a', attachmentId: id(4) },
    );
    expect(state[0]).toMatchObject({ status: 'refused', reason: 'This file is larger than 25 MB' });
    expect(summarize(state).attachmentIds).toEqual([id(3)]);
    expect(uploadQueue(state, { type: 'sent' })).toEqual([state[0]]);
  });

  it('counts more than ten ready files as too many for one message', () => {
    const actions = Array.from({ length: 11 }, (_, n) => [
      { type: 'added', localId: `f${n}`, name: 'f', size: 1 } as const,
      { type: 'finished', localId: `f${n}`, attachmentId: id(n) } as const,
    ]).flat();
    expect(summarize(run(...actions)).tooMany).toBe(true);
  });
});

describe('refusalSentence', () => {
  it("shows the server's sentence, and a useful one when there is none or it is a page", () => {
    expect(refusalSentence(422, 'This image is cut short; upload it again\n')).toBe('This image is cut short; upload it again');
    expect(refusalSentence(413, '')).toMatch(/too large/);
    expect(refusalSentence(502, '<html><body>Bad gateway</body></html>')).toMatch(/HTTP 502/);
    expect(refusalSentence(0, '')).toMatch(/could not be reached/);
  });

  it('formats sizes', () => {
    expect([formatBytes(12), formatBytes(2048), formatBytes(5 * 1024 ** 2)]).toEqual(['12 B', '2.0 KB', '5.0 MB']);
  });
});
