import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded';
import { initORM, migrate, repositoriesFor } from './orm';

// The default path of `pnpm start`: no DATABASE_URL, a PostgreSQL the app starts itself.
const dir = await mkdtemp(join(tmpdir(), 'chat-embedded-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

it('starts an embedded PostgreSQL, migrates it, and keeps the data across a restart', async () => {
  const first = await startEmbeddedPostgres({ dir });
  await first.createDatabase('chat');
  let orm = await initORM({ clientUrl: first.urlFor('chat') });
  await migrate(orm);
  const user = await repositoriesFor(orm.em.fork()).users.insertIfUsernameFree({ username: 'persisted', passwordHash: 'x' });
  await orm.close();
  await first.stop();

  const second = await startEmbeddedPostgres({ dir });
  try {
    await second.createDatabase('chat');
    orm = await initORM({ clientUrl: second.urlFor('chat') });
    await migrate(orm);
    expect(await repositoriesFor(orm.em.fork()).users.findRecordById(user!.id)).toMatchObject({ username: 'persisted' });
    await orm.close();
  } finally {
    await second.stop();
  }
}, 120_000);
