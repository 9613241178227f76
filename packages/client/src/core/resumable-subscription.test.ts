import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { type ResumableHandlers, resumable } from './resumable-subscription';

const unavailable = () =>
  TRPCClientError.from({ error: { code: -32603, message: 'down', data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, retryAfterSeconds: 0 } } });

// A stand-in for the server's stream, to drive the retry loop through refusals it cannot produce on demand.
function scriptedSource(script: ((from: string | null, h: ResumableHandlers<{ id: string }>) => void)[]) {
  const opened: (string | null)[] = [];
  return {
    opened,
    source: {
      now: async () => '10',
      open: (from: string | null, h: ResumableHandlers<{ id: string }>) => {
        opened.push(from);
        script[opened.length - 1]?.(from, h);
        return () => undefined;
      },
      idOf: (item: { id: string }) => item.id,
    },
  };
}

describe('resumable', () => {
  it('starts at the server position, and after a SERVICE_UNAVAILABLE reopens from the last item delivered, reporting the refusal once', async () => {
    const { opened, source } = scriptedSource([
      (_from, h) => {
        h.onStarted();
        h.onData({ id: '11' });
        h.onError(unavailable());
      },
      (_from, h) => h.onError(unavailable()),
      (_from, h) => {
        h.onStarted();
        h.onData({ id: '12' });
      },
    ]);
    const seen: string[] = [];
    const reported: unknown[] = [];
    const stream = resumable(source, (item) => void seen.push(item.id), undefined, (e) => reported.push(e));
    await stream.ready;
    await expect.poll(() => seen, { timeout: 10_000 }).toEqual(['11', '12']);
    expect(opened).toEqual(['10', '11', '11']);
    expect(reported).toHaveLength(1);
    expect(stream.lastId).toBe('12');
    await stream.stop();
  });

  it('gives up on a refusal that retrying cannot fix', async () => {
    const forbidden = TRPCClientError.from({ error: { code: -32003, message: 'no', data: { code: 'FORBIDDEN', httpStatus: 403 } } });
    const { opened, source } = scriptedSource([(_from, h) => h.onError(forbidden)]);
    const reported: unknown[] = [];
    const stream = resumable(source, () => undefined, '5', (e) => reported.push(e));
    await expect(stream.ready).rejects.toBe(forbidden);
    expect(opened).toEqual(['5']);
    expect(reported).toEqual([forbidden]);
  });
});
