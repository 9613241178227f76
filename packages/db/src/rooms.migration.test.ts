import { describe, expect, it } from 'vitest';
import { repositoriesFor } from './orm';
import { EVERYONE_ROOM_ID } from './repositories/room.repository';
import { useMigratedDatabase } from './test-database';

// Each test migrates up to the point it starts from.
const database = useMigratedDatabase({ migrated: false });

describe('the rooms migration', () => {
  it('moves existing messages into #everyone and makes every existing account a member, everything read', async () => {
    const { orm } = database;
    // A database as it was before rooms, with people and messages.
    await orm.getMigrator().up({ to: 'Migration20261129072446' });
    const sql = orm.em.getConnection();
    const users = await sql.execute<{ id: string }[]>(
      `insert into users (id, username, password_hash, created_at) values (gen_random_uuid(), 'ann', 'x', now()), (gen_random_uuid(), 'ben', 'x', now()) returning id`,
    );
    await sql.execute(`insert into messages (author_id, text, client_message_id, created_at) values (?, 'old one', 'c1', now()), (?, 'old two', null, now())`, [
      users[0]!.id,
      users[1]!.id,
    ]);

    await orm.getMigrator().up();

    const repos = repositoriesFor(orm.em.fork());
    const page = await repos.messages.pageBefore(null, 10);
    expect(page.messages.map((m) => m.text)).toEqual(['old one', 'old two']);
    const list = await repos.rooms.listForUser(users[0]!.id);
    expect(list).toEqual([
      expect.objectContaining({ room: expect.objectContaining({ id: EVERYONE_ROOM_ID, name: 'everyone', memberCount: 2 }), unread: 0, lastMessageId: page.messages[1]!.id }),
    ]);
    // A retried clientMessageId from before the migration still finds its message (same author, #everyone).
    const again = await repos.messages.append({ authorId: users[0]!.id, text: 'old one', clientMessageId: 'c1' });
    expect(again).toMatchObject({ created: false, message: { id: page.messages[0]!.id } });
    // And the event log starts after the migration: resuming from "0" replays nothing from before.
    expect(await repos.events.visibleAfter(users[0]!.id, '0', 10)).toEqual([]);
  });
});
