import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { arrayLiteral } from './message-batch';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 4 });
const repos = () => repositoriesFor(database.orm.em.fork());

async function user(name: string) {
  const created = (await repos().users.insertIfUsernameFree({ username: name, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(created.id);
  return created.id;
}

const fulfilled = <T>(r: PromiseSettledResult<T> | undefined): T => {
  if (r?.status !== 'fulfilled') throw new Error(`expected an answer, got ${String(r?.status)}`);
  return r.value;
};

it('arrayLiteral carries any text unchanged (quotes, backslashes, commas, braces, "NULL", empty, emoji)', async () => {
  const hostile = ['a,b', '"q"', 'back\\slash\\', '{x}', 'NULL', '', ' lead and trail ', "it's", '🙂\u202e', 'multi\nline'];
  const rows = await database.orm.em.fork().execute<{ v: string | null }[]>(`select unnest(?::text[]) as v`, [arrayLiteral([...hostile, null])]);
  expect(rows.map((r) => r.v)).toEqual([...hostile, null]);
});

it('appends a batch in one statement: ids, times and events in the order given, one message.created each', async () => {
  const ann = await user('ann');
  const bob = await user('bob');
  const room = (await repos().rooms.createRoom({ kind: 'channel', name: 'batch', topic: null, createdBy: ann }))!.room.id;
  const inputs = [
    { authorId: ann, text: 'one', clientMessageId: 'c1' },
    { authorId: bob, text: 'two "quoted", \\ and {braces}', clientMessageId: null },
    { authorId: ann, roomId: room, text: 'three', clientMessageId: 'c3' },
    { authorId: bob, text: 'four', clientMessageId: null },
  ];
  const answers = (await repos().messages.appendBatch(inputs)).map(fulfilled);
  const made = answers.map((a) => {
    if (a.refused || !a.created || !a.eventId) throw new Error('expected created');
    return a;
  });
  expect(made.map((a) => a.message.text)).toEqual(inputs.map((i) => i.text));
  const ids = made.map((a) => BigInt(a.message.id));
  const eventIds = made.map((a) => BigInt(a.eventId!));
  expect([...ids].sort((x, y) => (x < y ? -1 : 1))).toEqual(ids);
  expect([...eventIds].sort((x, y) => (x < y ? -1 : 1))).toEqual(eventIds);
  const times = made.map((a) => a.message.createdAt.getTime());
  expect([...times].sort((x, y) => x - y)).toEqual(times);
  const events = await database.orm.em.fork().execute<{ id: string; message_id: string; room_id: string; user_id: string }[]>(
    `select e.id::text as id, e.message_id::text as message_id, e.room_id, e.user_id from events e where e.type = 'message.created' order by e.id`,
  );
  expect(events.map((e) => [e.id, e.message_id, e.room_id, e.user_id])).toEqual(made.map((a, i) => [a.eventId, a.message.id, inputs[i]!.roomId ?? EVERYONE_ROOM_ID, inputs[i]!.authorId]));
  expect(made[0]!.message.author).toMatchObject({ id: ann, username: 'ann' });
});

it('a retry inside the same batch, or of a stored send, is answered with the stored message and appended once', async () => {
  const cat = await user('cat');
  const first = fulfilled((await repos().messages.appendBatch([{ authorId: cat, text: 'before', clientMessageId: 'old' }]))[0]);
  const answers = (
    await repos().messages.appendBatch([
      { authorId: cat, text: 'hello', clientMessageId: 'same' },
      { authorId: cat, text: 'hello', clientMessageId: 'same' },
      { authorId: cat, text: 'before', clientMessageId: 'old' },
    ])
  ).map(fulfilled);
  if (first.refused || answers.some((a) => a.refused)) throw new Error('expected answers');
  const [a, b, c] = answers as Extract<(typeof answers)[number], { refused: false }>[];
  expect(a!.created).toBe(true);
  expect(b).toMatchObject({ created: false, eventId: null, message: { id: a!.message.id, text: 'hello' } });
  expect(c).toMatchObject({ created: false, eventId: null, message: { id: first.message.id } });
  const counts = await database.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from messages where author_id = ?`, [cat]);
  expect(counts[0]!.n).toBe(2);
  const events = await database.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from events where type = 'message.created' and user_id = ?`, [cat]);
  expect(events[0]!.n).toBe(2);
});

it('a row whose author is not a member or is muted is refused alone; the rest of the batch goes in', async () => {
  const dan = await user('dan');
  const eve = await user('eve');
  const fay = await user('fay');
  const room = (await repos().rooms.createRoom({ kind: 'private', name: 'closed', topic: null, createdBy: dan }))!.room.id;
  await repos().users.mute(fay, new Date(Date.now() + 60_000), (u) => ({ actor: null, action: 'mute', target: { id: u.id, username: u.username }, details: {} }));
  const answers = (
    await repos().messages.appendBatch([
      { authorId: dan, roomId: room, text: 'member', clientMessageId: null },
      { authorId: eve, roomId: room, text: 'outsider', clientMessageId: null },
      { authorId: fay, text: 'muted', clientMessageId: null },
      { authorId: eve, text: 'everyone', clientMessageId: null },
    ])
  ).map(fulfilled);
  expect(answers.map((a) => (a.refused ? a.reason : a.created))).toEqual([true, 'not-member', 'not-member', true]);
  const texts = await database.orm.em.fork().execute<{ text: string }[]>(`select text from messages where author_id in (?, ?, ?) order by id`, [dan, eve, fay]);
  expect(texts.map((t) => t.text)).toEqual(['member', 'everyone']);
});

it('a statement that fails as a whole commits nothing of the batch', async () => {
  const gus = await user('gus');
  const before = await repos().messages.listAfter('0', 10_000);
  const gone = '00000000-0000-4000-8000-00000000dead';
  await expect(
    repos().messages.appendBatch([
      { authorId: gus, text: 'fine', clientMessageId: null },
      { authorId: gone, text: 'no such author', clientMessageId: null },
    ]),
  ).rejects.toMatchObject({ code: '23503' });
  expect(await repos().messages.listAfter('0', 10_000)).toHaveLength(before.length);
});

it('batches and single appends racing from many connections commit in id order: a reader after any id misses nothing', async () => {
  const hal = await user('hal');
  const seen: bigint[] = [];
  let done = false;
  const watcher = (async () => {
    const reader = repos();
    let last = 0n;
    while (!done) {
      for (const m of await reader.messages.listAfter(last.toString(), 1000)) {
        seen.push(BigInt(m.id));
        last = BigInt(m.id);
      }
    }
  })();
  await Promise.all([
    ...Array.from({ length: 3 }, async (_, w) => {
      const writer = repos();
      for (let i = 0; i < 10; i++) {
        const rows = Array.from({ length: 8 }, (_, k) => ({ authorId: hal, text: `b${w}:${i}:${k}`, clientMessageId: null }));
        (await writer.messages.appendBatch(rows)).map(fulfilled);
      }
    }),
    ...Array.from({ length: 2 }, async (_, w) => {
      const writer = repos();
      for (let i = 0; i < 20; i++) await writer.messages.append({ authorId: hal, text: `s${w}:${i}`, clientMessageId: null });
    }),
  ]);
  done = true;
  await watcher;
  seen.push(...(await repos().messages.listAfter((seen.at(-1) ?? 0n).toString(), 1000)).map((m) => BigInt(m.id)));
  const mine = await database.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from messages where author_id = ?`, [hal]);
  expect(mine[0]!.n).toBe(3 * 10 * 8 + 2 * 20);
  // Everything committed before the test's own rows is in `seen` too; what matters is that none was skipped.
  expect(new Set(seen).size).toBe(seen.length);
  const all = await repos().messages.listAfter('0', 100_000);
  expect(seen).toEqual(all.map((m) => BigInt(m.id)));
});
