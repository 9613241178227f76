import { expect, it } from 'vitest';
import { HandOffStream } from './hand-off-stream';

it('yields the source, then after the hand-off waits for the abort and stops the writer once', async () => {
  const controller = new AbortController();
  let stops = 0;
  const source = (async function* () {
    yield 1;
    return () => void stops++;
  })();
  const stream = new HandOffStream(source, controller.signal);
  expect(await stream.next()).toEqual({ done: false, value: 1 });
  const idle = stream.next();
  await new Promise((r) => setTimeout(r, 10));
  expect(stops).toBe(0);
  controller.abort();
  expect(await idle).toEqual({ done: true, value: undefined });
  await stream.return();
  expect(stops).toBe(1);
});

it('stops the writer when returned before any abort', async () => {
  let stops = 0;
  const stream = new HandOffStream((async function* () {
    yield 0;
    return () => void stops++;
  })(), new AbortController().signal);
  await stream.next();
  const idle = stream.next();
  await new Promise((r) => setTimeout(r, 10));
  await stream.return();
  expect(await idle).toEqual({ done: true, value: undefined });
  expect(stops).toBe(1);
});

it('ends like its source when the source ends without a hand-off', async () => {
  const stream = new HandOffStream((async function* () {
    yield 'a';
  })(), new AbortController().signal);
  const items: string[] = [];
  for await (const item of stream) items.push(item);
  expect(items).toEqual(['a']);
});

it('ends at once without stopping the writer when a keeper takes the subscription, and stops it otherwise', async () => {
  const handOff = (stops: { n: number }) =>
    (async function* () {
      yield 1;
      return () => void stops.n++;
    })();
  const kept: (() => void)[] = [];
  const keptStops = { n: 0 };
  const stream = new HandOffStream(handOff(keptStops), new AbortController().signal, { keep: (stop) => kept.push(stop) > 0 });
  expect(await stream.next()).toEqual({ done: false, value: 1 });
  expect(await stream.next()).toEqual({ done: true, value: undefined });
  await stream.return();
  expect(keptStops.n).toBe(0);
  kept[0]!();
  expect(keptStops.n).toBe(1);

  // A keeper that refuses (its socket closed meanwhile): the stream holds the stop until its end, as without one.
  const refusedStops = { n: 0 };
  const refused = new HandOffStream(handOff(refusedStops), new AbortController().signal, { keep: () => false });
  await refused.next();
  const idle = refused.next();
  await new Promise((r) => setTimeout(r, 10));
  await refused.return();
  expect(await idle).toEqual({ done: true, value: undefined });
  expect(refusedStops.n).toBe(1);
});
