import { afterEach, beforeEach, expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { appendEvent, type Exec, lockedTransaction } from './locked';
import { LockHolds, LockHoldsBusyError, shareLockHolds } from './lock-holds';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 4 });
const em = () => database.orm.em.fork();
const repos = () => repositoriesFor(em());

beforeEach(() => shareLockHolds(database.orm));
afterEach(() => shareLockHolds(database.orm, false));

let users = 0;
async function user() {
  const made = (await repos().users.insertIfUsernameFree({ username: `u${++users}`, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(made.id);
  return made.id;
}

const txid = (exec: Exec) => exec<{ id: string }[]>('select txid_current()::text as id').then((r) => r[0]!.id);
const event = (exec: Exec, userId: string, tag: string) => appendEvent(exec, { type: 'test.tag', roomId: EVERYONE_ROOM_ID, userId, payload: { tag } });
const tagged = async (tag: string) => (await em().execute<unknown[]>(`select 1 from events where payload->>'tag' = ?`, [tag])).length;

it('a write arriving alone runs at once in its own transaction; those arriving meanwhile share the next one, in arrival order', async () => {
  const me = await user();
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      lockedTransaction(em(), async (exec) => ({ tx: await txid(exec), id: (await event(exec, me, `order-${i}`)).id })),
    ),
  );
  const transactions = [...new Set(answers.map((a) => a.tx))];
  expect(transactions).toHaveLength(2);
  expect(answers.filter((a) => a.tx === answers[0]!.tx)).toHaveLength(1);
  const ids = answers.map((a) => BigInt(a.id));
  expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
});

it('a write that throws after writing, or whose statement PostgreSQL refuses, loses only its own writes', async () => {
  const me = await user();
  const results = await Promise.allSettled([
    lockedTransaction(em(), (exec) => event(exec, me, 'first')),
    lockedTransaction(em(), (exec) => event(exec, me, 'kept-1')),
    lockedTransaction(em(), async (exec) => {
      await event(exec, me, 'thrown');
      throw new Error('refused by a rule');
    }),
    lockedTransaction(em(), async (exec) => {
      await event(exec, me, 'bad-statement');
      await exec('select 1/0');
    }),
    lockedTransaction(em(), (exec) => event(exec, me, 'kept-2')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
  expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused by a rule' });
  expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ code: '22012' });
  expect([await tagged('first'), await tagged('kept-1'), await tagged('kept-2')]).toEqual([1, 1, 1]);
  expect([await tagged('thrown'), await tagged('bad-statement')]).toEqual([0, 0]);
});

it('a hold whose connection is lost answers none of its writes as done, and none of them committed', async () => {
  const me = await user();
  const results = await Promise.allSettled([
    lockedTransaction(em(), (exec) => event(exec, me, 'alone-before')),
    lockedTransaction(em(), (exec) => event(exec, me, 'lost-1')),
    lockedTransaction(em(), async (exec) => {
      await event(exec, me, 'lost-2');
      await exec('select pg_terminate_backend(pg_backend_pid())');
    }),
    lockedTransaction(em(), (exec) => event(exec, me, 'lost-3')),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
  expect([await tagged('lost-1'), await tagged('lost-2'), await tagged('lost-3')]).toEqual([0, 0, 0]);
  // The pool replaced the connection: the next write goes through.
  await expect(lockedTransaction(em(), (exec) => event(exec, me, 'after'))).resolves.toMatchObject({ type: 'test.tag' });
});

it('real writes share holds: 60 reactions and read marks at once all land, each with its event', async () => {
  const ann = await user();
  const bob = await user();
  const sent = await repos().messages.append({ authorId: ann, text: 'react to me', clientMessageId: null });
  if (sent.refused) throw new Error('refused');
  const emoji = ['👍', '🎉', '❤️', '😂', '🔥', '👀'];
  const writes = await Promise.all([
    ...emoji.flatMap((e) => [ann, bob].map((u) => repositoriesFor(em()).reactions.react({ messageId: sent.message.id, userId: u, emoji: e, on: true, maxEmoji: 20 }))),
    repositoriesFor(em()).rooms.markRead(EVERYONE_ROOM_ID, bob, sent.message.id),
  ]);
  expect(writes.slice(0, -1).every((w) => w !== null && 'status' in w && w.status === 'ok' && w.event !== null)).toBe(true);
  expect(writes.at(-1)).toMatchObject({ type: 'read.updated' });
  const rows = await em().execute<{ n: number }[]>('select count(*)::int as n from message_reactions where message_id = ?', [sent.message.id]);
  expect(rows[0]!.n).toBe(12);
});

it('refuses at once, never queues behind, a hold that is stuck or a queue that is full', async () => {
  const holds = new LockHolds(database.orm.em.getKnex(), { maxWaiting: 3, stuckMs: 300 });
  const stuck = holds.run((exec) => exec('select pg_sleep(0.8)'));
  const waiting = [1, 2, 3].map(() => holds.run((exec) => exec('select 1')));
  await expect(holds.run((exec) => exec('select 1'))).rejects.toBeInstanceOf(LockHoldsBusyError);
  await new Promise((r) => setTimeout(r, 400));
  await expect(holds.run((exec) => exec('select 1'))).rejects.toThrow(/stuck/);
  await stuck;
  await Promise.all(waiting);
  // Free again once the hold ahead is done.
  await expect(holds.run((exec) => exec('select 2 as n'))).resolves.toEqual([{ n: 2 }]);
});
