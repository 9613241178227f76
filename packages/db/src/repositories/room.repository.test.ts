import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { EVERYONE_ROOM_ID } from './room.repository';

const database = useMigratedDatabase({ poolMax: 4 });

it('membersAt: counts every room, lists the members of the small ones only, as of the newest event', async () => {
  const repos = repositoriesFor(database.orm.em.fork());
  const users = [];
  for (const name of ['ann', 'bob', 'cat', 'dan']) {
    const user = (await repos.users.insertIfUsernameFree({ username: name, passwordHash: 'x' }))!;
    await repos.rooms.joinEveryone(user.id);
    users.push(user.id);
  }
  const [ann, bob, cat, dan] = users as [string, string, string, string];
  const small = (await repos.rooms.createRoom({ kind: 'private', name: 'small', topic: null, createdBy: ann }))!.room.id;
  await repos.rooms.addMember(small, bob, ann);
  await repos.rooms.addMember(small, cat, ann);
  const left = await repos.rooms.removeMember(small, cat, null);
  const dm = (await repos.rooms.openDirect(ann, dan)).room.id;

  const read = await repos.rooms.membersAt([EVERYONE_ROOM_ID, small, dm], 3);
  expect(read.eventId).toBe(await repos.events.maxId());
  expect(BigInt(read.eventId)).toBeGreaterThan(BigInt(left!.id));
  const byId = new Map(read.rooms.map((r) => [r.id, r]));
  expect(byId.get(EVERYONE_ROOM_ID)).toEqual({ id: EVERYONE_ROOM_ID, memberCount: 4, memberIds: null });
  expect({ ...byId.get(small)!, memberIds: byId.get(small)!.memberIds?.sort() }).toEqual({ id: small, memberCount: 2, memberIds: [ann, bob].sort() });
  expect(byId.get(dm)?.memberIds?.sort()).toEqual([ann, dan].sort());
  expect((await repos.rooms.membersAt([], 3)).rooms).toEqual([]);
  expect((await repos.rooms.membersAt([EVERYONE_ROOM_ID], 4)).rooms[0]?.memberIds).toHaveLength(4);
});

it('a join is read up to the newest message by id, also when the ids cross a power of ten (9 < 10, though "9" > "10")', async () => {
  const repos = repositoriesFor(database.orm.em.fork());
  const eve = (await repos.users.insertIfUsernameFree({ username: 'eve', passwordHash: 'x' }))!.id;
  const fay = (await repos.users.insertIfUsernameFree({ username: 'fay', passwordHash: 'x' }))!.id;
  const room = (await repos.rooms.createRoom({ kind: 'private', name: 'digits', topic: null, createdBy: eve }))!.room.id;
  await database.orm.em.fork().execute(`select setval('messages_id_seq', 8)`);
  const sent = [];
  for (const text of ['nine', 'ten']) sent.push((await repos.messages.append({ authorId: eve, roomId: room, text, clientMessageId: null })) as { message: { id: string } });
  expect(sent.map((s) => s.message.id)).toEqual(['9', '10']);

  const joined = (await repos.rooms.addMember(room, fay, eve))!;
  expect(joined.payload).toMatchObject({ lastMessageId: '10' });
  const rows = await database.orm.em.fork().execute<{ last: string }[]>('select last_read_message_id::text as last from room_members where room_id = ? and user_id = ?', [room, fay]);
  expect(rows[0]?.last).toBe('10');
});
