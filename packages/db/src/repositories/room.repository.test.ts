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
