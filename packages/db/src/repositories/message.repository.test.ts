import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';

const database = useMigratedDatabase({ poolMax: 12 });

it('commits concurrent appends in id order, so no smaller id ever becomes visible after a larger one', async () => {
  const author = await repositoriesFor(database.orm.em.fork()).users.insertIfUsernameFree({ username: 'writer', passwordHash: 'x' });
  // A watcher reads "everything after the last id I saw" in a tight loop while 10 writers append.
  const seen: bigint[] = [];
  let done = false;
  const watcher = (async () => {
    const repos = repositoriesFor(database.orm.em.fork());
    let last = 0n;
    while (!done) {
      for (const m of await repos.messages.listAfter(last.toString(), 1000)) {
        seen.push(BigInt(m.id));
        last = BigInt(m.id);
      }
    }
  })();
  await Promise.all(
    Array.from({ length: 10 }, async (_, w) => {
      const repos = repositoriesFor(database.orm.em.fork());
      for (let i = 0; i < 20; i++) await repos.messages.append({ authorId: author!.id, text: `${w}:${i}`, clientMessageId: null });
    }),
  );
  done = true;
  await watcher;
  const rest = await repositoriesFor(database.orm.em.fork()).messages.listAfter((seen.at(-1) ?? 0n).toString(), 1000);
  seen.push(...rest.map((m) => BigInt(m.id)));
  // A resuming reader that skipped a late-committing smaller id would see fewer than all 200.
  expect(seen).toHaveLength(200);
  expect(new Set(seen).size).toBe(200);
});
