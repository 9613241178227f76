import { describe, expect, it } from 'vitest';
import { repositoriesFor } from './orm';
import { useMigratedDatabase } from './test-database';
import { usernameSkeleton } from './username-skeleton';

// Each test migrates up to the point it starts from.
const database = useMigratedDatabase({ migrated: false });

describe('the room names migration', () => {
  it('fills channel skeletons in creation order, leaves later look-alikes NULL, and takes private rooms out of the namespace', async () => {
    const { orm } = database;
    // A database as it was before, with look-alike channels and a private room already there.
    await orm.getMigrator().up({ to: 'Migration20261129113553' });
    const sql = orm.em.getConnection();
    const [owner] = await sql.execute<{ id: string }[]>(`insert into users (id, username, password_hash, created_at) values (gen_random_uuid(), 'ann', 'x', now()) returning id`);
    const room = (kind: string, name: string, at: string) =>
      sql.execute(`insert into rooms (id, kind, name, name_key, created_by_id, created_at, member_count) values (gen_random_uuid(), ?, ?, lower(?), ?, ?, 0)`, [kind, name, name, owner!.id, at]);
    await room('channel', 'generaI', '2026-01-02T00:00:00Z');
    await room('channel', 'general', '2026-01-01T00:00:00Z');
    await room('channel', 'genera1', '2026-01-03T00:00:00Z');
    await room('channel', 'random', '2026-01-04T00:00:00Z');
    await room('private', 'secret', '2026-01-05T00:00:00Z');

    await orm.getMigrator().up();

    const rows = await sql.execute<{ kind: string; name: string; name_key: string | null; name_skeleton: string | null }[]>(
      `select kind, name, name_key, name_skeleton from rooms order by created_at`,
    );
    expect(rows).toEqual([
      { kind: 'channel', name: 'general', name_key: 'general', name_skeleton: usernameSkeleton('general') },
      { kind: 'channel', name: 'generaI', name_key: 'generai', name_skeleton: null },
      { kind: 'channel', name: 'genera1', name_key: 'genera1', name_skeleton: null },
      { kind: 'channel', name: 'random', name_key: 'random', name_skeleton: usernameSkeleton('random') },
      { kind: 'private', name: 'secret', name_key: null, name_skeleton: null },
      // #everyone, made by the rooms migration at its run time.
      { kind: 'channel', name: 'everyone', name_key: 'everyone', name_skeleton: usernameSkeleton('everyone') },
    ]);

    const repos = repositoriesFor(orm.em.fork());
    // The earliest channel still blocks every new look-alike; a private name is free to reuse.
    expect(await repos.rooms.createRoom({ kind: 'channel', name: 'GENERAl', topic: null, createdBy: owner!.id })).toBeNull();
    expect(await repos.rooms.channelNamedLike('GENERAl')).toBe('general');
    expect(await repos.rooms.createRoom({ kind: 'private', name: 'secret', topic: null, createdBy: owner!.id })).not.toBeNull();
    expect(await repos.rooms.createRoom({ kind: 'channel', name: 'Secret', topic: null, createdBy: owner!.id })).not.toBeNull();
    // An older look-alike keeps its name and may still change its topic.
    const [older] = await sql.execute<{ id: string }[]>(`select id from rooms where name = 'generaI'`);
    expect(await repos.rooms.update(older!.id, { name: 'generaI', topic: 'still here' }, owner!.id)).toMatchObject({ room: { name: 'generaI', topic: 'still here' } });
  });

  it('goes down again: private rooms take their key back where it is still free', async () => {
    const { orm } = database;
    const sql = orm.em.getConnection();
    const [owner] = await sql.execute<{ id: string }[]>(`select id from users where username = 'ann'`);
    await repositoriesFor(orm.em.fork()).rooms.createRoom({ kind: 'private', name: 'Plans', topic: null, createdBy: owner!.id });
    // Down to and including the room names migration (later ones, e.g. attachments, go first).
    await orm.getMigrator().down({ to: 'Migration20261206001029' });
    const rows = await sql.execute<{ kind: string; name: string; name_key: string | null }[]>(`select kind, name, name_key from rooms where lower(name) in ('plans', 'secret') order by kind, created_at`);
    expect(rows).toEqual([
      { kind: 'channel', name: 'Secret', name_key: 'secret' },
      { kind: 'private', name: 'secret', name_key: null },
      { kind: 'private', name: 'secret', name_key: null },
      { kind: 'private', name: 'Plans', name_key: 'plans' },
    ]);
  });
});
