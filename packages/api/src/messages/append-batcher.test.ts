import { type AppendResult, repositoriesFor } from '@chat/db';
import { useMigratedDatabase } from '@chat/db/test-database';
import { expect, it, vi } from 'vitest';
import { createAppendBatcher } from './append-batcher';

const database = useMigratedDatabase({ poolMax: 6 });
const repos = () => repositoriesFor(database.orm.em.fork());

async function user(name: string) {
  const created = (await repos().users.insertIfUsernameFree({ username: name, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(created.id);
  return created.id;
}

const idOf = (r: AppendResult) => {
  if (r.refused) throw new Error(`refused: ${r.reason}`);
  return BigInt(r.message.id);
};

/** Rows committed by one transaction share its xmin: how many statements carried these messages. */
async function statementsFor(ids: bigint[]) {
  const rows = await database.orm.em.fork().execute<{ n: number }[]>(`select count(distinct xmin::text)::int as n from messages where id = any(?::bigint[])`, [
    `{${ids.join(',')}}`,
  ]);
  return rows[0]!.n;
}

it('gathers the sends that arrive while one is in flight into one statement, in arrival order', async () => {
  const batcher = createAppendBatcher({ orm: database.orm });
  const authors = await Promise.all(['ann', 'bob', 'cat', 'dan'].map(user));
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => batcher.append({ authorId: authors[i % 4]!, text: `m${i}`, clientMessageId: `c${i}` })));
  const ids = results.map(idOf);
  expect(results.map((r) => !r.refused && r.message.text)).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
  expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
  // The first goes at once, alone; the 39 that queued behind it go together (8 per author, 4 authors: 32, then 7).
  expect(await statementsFor(ids)).toBe(3);
});

it('a send alone (and its retry) takes the one-row statement; the sends queued behind one in flight take the batch statement', async () => {
  const batcher = createAppendBatcher({ orm: database.orm });
  const fay = await user('fay');
  const proto = Object.getPrototypeOf(repos().messages) as { append: () => unknown; appendBatch: () => unknown };
  const single = vi.spyOn(proto, 'append');
  const batch = vi.spyOn(proto, 'appendBatch');
  try {
    idOf(await batcher.append({ authorId: fay, text: 'alone', clientMessageId: 'alone' }));
    expect([single.mock.calls.length, batch.mock.calls.length]).toEqual([1, 0]);
    // A retry of it, alone too, answers the stored message.
    const again = await batcher.append({ authorId: fay, text: 'alone', clientMessageId: 'alone' });
    expect(!again.refused && again.created).toBe(false);
    expect([single.mock.calls.length, batch.mock.calls.length]).toEqual([2, 0]);
    // Sends queued behind one in flight still share the batch statement (once the last drain has ended).
    await new Promise((r) => setImmediate(r));
    const first = batcher.append({ authorId: fay, text: 'first', clientMessageId: null });
    await Promise.all([first, ...Array.from({ length: 4 }, (_, i) => batcher.append({ authorId: fay, text: `q${i}`, clientMessageId: null }))].map((p) => p.then(idOf)));
    expect([single.mock.calls.length, batch.mock.calls.length]).toEqual([3, 1]);
  } finally {
    single.mockRestore();
    batch.mockRestore();
  }
});

it('a batch whose statement fails falls back to one statement per row: only the bad row fails', async () => {
  const batcher = createAppendBatcher({ orm: database.orm });
  const eve = await user('eve');
  const gone = '00000000-0000-4000-8000-00000000dead';
  const sends = [eve, eve, gone, eve].map((authorId, i) => batcher.append({ authorId, text: `f${i}`, clientMessageId: null }).then(idOf, (e: unknown) => e));
  const [first, second, bad, fourth] = await Promise.all(sends);
  expect(bad).toMatchObject({ code: '23503' });
  for (const id of [first, second, fourth]) expect(typeof id).toBe('bigint');
  // The first went alone; the other two good rows were appended one by one after the batch failed.
  expect(await statementsFor([second, fourth] as bigint[])).toBe(2);
});

it('a flood of one author does not hold back others: their sends go in the next statement, not after the flood', async () => {
  const batcher = createAppendBatcher({ orm: database.orm });
  const flooder = await user('flooder');
  const others = await Promise.all(['o1', 'o2', 'o3', 'o4', 'o5'].map(user));
  const flood = Array.from({ length: 1000 }, (_, i) => batcher.append({ authorId: flooder, text: `flood ${i}`, clientMessageId: null }));
  const polite = others.map((authorId) => batcher.append({ authorId, text: 'hello', clientMessageId: null }));
  const politeIds = (await Promise.all(polite)).map(idOf);
  const floodIds = (await Promise.all(flood)).map(idOf);
  // The flood's first send went alone, the next statement took 8 of its rows and the others' 5.
  for (const id of politeIds) expect(id).toBeLessThan(floodIds[9]!);
  expect([...floodIds].sort((a, b) => (a < b ? -1 : 1))).toEqual(floodIds);
  expect(new Set(floodIds).size).toBe(1000);
});
