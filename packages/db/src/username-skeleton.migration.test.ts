import { describe, expect, it } from 'vitest';
import { repositoriesFor } from './orm';
import { useMigratedDatabase } from './test-database';
import { usernameSkeleton } from './username-skeleton';

// Each test migrates up to the point it starts from.
const database = useMigratedDatabase({ migrated: false });

describe('the username skeleton migration', () => {
  it('fills existing users in sign-up order and leaves later look-alikes NULL instead of failing', async () => {
    const { orm } = database;
    // A database as it was before the skeleton column, with look-alike names already taken.
    await orm.getMigrator().up({ to: 'Migration20261123220940' });
    const insert = (username: string, at: string) =>
      orm.em.getConnection().execute(`insert into users (id, username, password_hash, created_at) values (gen_random_uuid(), ?, 'x', ?)`, [username, at]);
    await insert('aIice', '2026-01-02T00:00:00Z');
    await insert('alice', '2026-01-01T00:00:00Z');
    await insert('a1ice', '2026-01-03T00:00:00Z');
    await insert('bob', '2026-01-04T00:00:00Z');

    await orm.getMigrator().up();

    const rows = await orm.em.getConnection().execute<{ username: string; username_skeleton: string | null }[]>(`select username, username_skeleton from users order by created_at`);
    expect(rows).toEqual([
      { username: 'alice', username_skeleton: usernameSkeleton('alice') },
      { username: 'aIice', username_skeleton: null },
      { username: 'a1ice', username_skeleton: null },
      { username: 'bob', username_skeleton: usernameSkeleton('bob') },
    ]);
    const repos = repositoriesFor(orm.em.fork());
    // The older look-alikes keep their accounts; a new one is refused by the index.
    expect(await repos.users.findCredentials('aIice')).not.toBeNull();
    expect(await repos.users.hasLookAlike('AL1CE')).toBe(true);
    expect(await repos.users.insertIfUsernameFree({ username: 'AL1CE', passwordHash: 'x' })).toBeNull();
    expect(await repos.users.insertIfUsernameFree({ username: 'carol', passwordHash: 'x' })).toMatchObject({ username: 'carol' });
  });
});
