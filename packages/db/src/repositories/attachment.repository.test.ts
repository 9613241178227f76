import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 8 });

const repos = () => repositoriesFor(database.orm.em.fork());
const newId = () => randomBytes(16).toString('hex');
let counter = 0;
async function member() {
  const user = (await repos().users.insertIfUsernameFree({ username: `uploader${counter++}`, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(user.id);
  return user;
}

/** A ready upload of `size` bytes to #everyone. */
async function ready(uploaderId: string, size = 100) {
  const id = newId();
  expect(await repos().attachments.reserve({ id, uploaderId, roomId: EVERYONE_ROOM_ID, name: 'f.pdf', size, quotaBytes: 1_000_000 })).toEqual({ refused: false });
  await repos().attachments.complete(id, { kind: 'file', type: 'application/pdf', size });
  return id;
}

const queued = async () => (await repos().attachments.pendingErasures(1000)).sort();

it('queues the bytes of every attachment row deleted, whatever deletes it: a message delete, a purge, a sweep, a deleted account', async () => {
  const alice = await member();
  const [a, b, c, d] = [await ready(alice.id), await ready(alice.id), await ready(alice.id), await ready(alice.id)];
  const sent = await repos().messages.appendDetailed({ authorId: alice.id, roomId: EVERYONE_ROOM_ID, text: '', clientMessageId: null, replyTo: null, mentionNames: [], attachmentIds: [a, b] });
  if (sent.refused) throw new Error('refused');
  expect(sent.message.attachments?.map((x) => x.id)).toEqual([a, b]);
  expect(await queued()).toEqual([]);

  await repos().messages.softDelete({ messageId: sent.message.id, actorId: alice.id, by: 'author' });
  expect(await queued()).toEqual([a, b].sort());
  expect(await repos().attachments.findReadable(a, alice.id)).toBeNull();

  // An account deleted outright (no such procedure yet; an operator's `delete from users`) takes its files along.
  await repos().em.execute('delete from users where id = ?', [alice.id]);
  expect(await queued()).toEqual([a, b, c, d].sort());
  for (const id of [a, b, c, d]) await repos().attachments.erased(id);
  expect(await queued()).toEqual([]);
});

it('counts the quota under the uploader’s lock: parallel reservations never exceed it', async () => {
  const bob = await member();
  const results = await Promise.all(
    Array.from({ length: 8 }, () => repos().attachments.reserve({ id: newId(), uploaderId: bob.id, roomId: EVERYONE_ROOM_ID, name: 'x', size: 300, quotaBytes: 1000 })),
  );
  expect(results.filter((r) => !r.refused)).toHaveLength(3);
  expect(results.filter((r) => r.refused && r.reason === 'quota')).toHaveLength(5);
  expect(await repos().attachments.usedBytes(bob.id)).toBe(900);
});

it('sends each upload once, only the sender’s own and ready ones, and a retry by clientMessageId is the same message', async () => {
  const carol = await member();
  const dave = await member();
  const mine = await ready(carol.id);
  const davids = await ready(dave.id);
  const unfinished = newId();
  await repos().attachments.reserve({ id: unfinished, uploaderId: carol.id, roomId: EVERYONE_ROOM_ID, name: 'x', size: 1, quotaBytes: 1000 });
  const send = (ids: string[], clientMessageId: string | null = null) =>
    repos().messages.appendDetailed({ authorId: carol.id, roomId: EVERYONE_ROOM_ID, text: 'x', clientMessageId, replyTo: null, mentionNames: [], attachmentIds: ids });
  expect(await send([davids])).toEqual({ refused: true, reason: 'attachments' });
  expect(await send([unfinished])).toEqual({ refused: true, reason: 'attachments' });
  const first = await send([mine], 'c1');
  const retry = await send([mine], 'c1');
  expect(!first.refused && !retry.refused && retry.message.id === first.message.id && !retry.created).toBe(true);
  expect(await send([mine], 'c2')).toEqual({ refused: true, reason: 'attachments' });
});

it('lets only the uploader read an upload not sent yet, and every member once sent', async () => {
  const frank = await member();
  const grace = await member();
  const id = await ready(frank.id);
  expect(await repos().attachments.findReadable(id, frank.id)).not.toBeNull();
  expect(await repos().attachments.findReadable(id, grace.id)).toBeNull();
  await repos().messages.appendDetailed({ authorId: frank.id, roomId: EVERYONE_ROOM_ID, text: 'x', clientMessageId: null, replyTo: null, mentionNames: [], attachmentIds: [id] });
  expect(await repos().attachments.findReadable(id, grace.id)).toMatchObject({ id, kind: 'file', type: 'application/pdf' });
});

it('sweeps uploads not sent in time, and nothing sent', async () => {
  const erin = await member();
  const old = await ready(erin.id);
  const kept = await ready(erin.id);
  await repos().messages.appendDetailed({ authorId: erin.id, roomId: EVERYONE_ROOM_ID, text: 'x', clientMessageId: null, replyTo: null, mentionNames: [], attachmentIds: [kept] });
  await repos().em.execute(`update attachments set created_at = created_at - interval '2 days' where id in (?, ?)`, [old, kept]);
  const before = await queued();
  expect(await repos().attachments.sweepUnsent(24 * 3600, 100)).toBe(1);
  expect(await queued()).toEqual([...before, old].sort());
  expect(await repos().attachments.findReadable(kept, erin.id)).not.toBeNull();
});
