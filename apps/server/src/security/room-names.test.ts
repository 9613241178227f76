import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Room names as an outsider would use them (docs/decisions/125-room-names.md): to probe for private
// rooms they cannot see, and to pass a look-alike channel off as a real one.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

/** What the server answers, reduced to what a prober can compare. */
async function answer(call: () => Promise<unknown>) {
  try {
    await call();
    return { code: 'resolved', message: '' };
  } catch (error) {
    if (!(error instanceof TRPCClientError)) throw error;
    return { code: error.data?.code as string, message: error.message };
  }
}

let seq = 0;
const fresh = (prefix: string) => `${prefix}${Date.now().toString(36).slice(-4)}${seq++}`;

describe('probing for private room names', () => {
  it('gets the same answer for a hidden private room’s name as for a free name, on create and rename', async () => {
    const owner = await signUpClient(server, 'owner');
    const prober = await signUpClient(server, 'prober');
    const hidden = fresh('hideout');
    await owner.client.trpc.room.create.mutate({ name: hidden, kind: 'private' });

    const probes = (name: string) => [
      () => prober.client.trpc.room.create.mutate({ name, kind: 'private' }),
      () => prober.client.trpc.room.create.mutate({ name: name.toUpperCase(), kind: 'private' }),
      () => prober.client.trpc.room.create.mutate({ name: `${name}-ch`, kind: 'channel' }),
      async () => {
        const mine = await prober.client.trpc.room.create.mutate({ name: fresh('mine'), kind: 'private' });
        return prober.client.trpc.room.update.mutate({ roomId: mine.id, name });
      },
    ];
    // The channel probe needs a private room of that name too.
    await owner.client.trpc.room.create.mutate({ name: `${hidden}-ch`, kind: 'private' });

    const free = fresh('nothing');
    const onHidden = [];
    const onFree = [];
    for (const probe of probes(hidden)) onHidden.push(await answer(probe));
    for (const probe of probes(free)) onFree.push(await answer(probe));
    expect(onHidden).toEqual(onFree);
    expect(onHidden.every((a) => a.code === 'resolved')).toBe(true);

    // The owner's room is untouched and still theirs alone.
    const ownerRooms = await owner.client.trpc.room.list.query();
    expect(ownerRooms.filter((r) => r.name === hidden)).toHaveLength(1);
    await owner.client.close();
    await prober.client.close();
  });

  it('answers a look-alike of a hidden private room’s name as it answers any free name', async () => {
    const owner = await signUpClient(server, 'owner');
    const prober = await signUpClient(server, 'prober');
    const hidden = fresh('hollow');
    await owner.client.trpc.room.create.mutate({ name: hidden, kind: 'private' });
    // The channel last and alone: a private room may not look like a channel, which is public.
    const probes: [string, 'channel' | 'private'][] = [[hidden.replace('o', '0'), 'private'], [`${hidden}_`, 'private'], [hidden.replace('l', 'I'), 'channel']];
    for (const [name, kind] of probes) {
      expect(await answer(() => prober.client.trpc.room.create.mutate({ name, kind })), name).toEqual({ code: 'resolved', message: '' });
    }
    await owner.client.close();
    await prober.client.close();
  });
});

describe('look-alike channel names', () => {
  it('refuses a channel that looks like an existing one with CONFLICT, naming the channel it looks like', async () => {
    const { client } = await signUpClient(server);
    await client.trpc.room.create.mutate({ name: 'general', kind: 'channel' });
    for (const lookAlike of ['generaI', 'genera1', 'GENERAI', 'general_', 'gen.eral', 'GeneraI']) {
      const refused = await answer(() => client.trpc.room.create.mutate({ name: lookAlike, kind: 'channel' }));
      expect(refused.code, lookAlike).toBe('CONFLICT');
      expect(refused.message, lookAlike).toBe(`The name "${lookAlike}" is too similar to the channel "general"; pick another one`);
    }
    expect(await answer(() => client.trpc.room.create.mutate({ name: 'General', kind: 'channel' }))).toEqual({ code: 'CONFLICT', message: 'A channel named "general" already exists' });
    await client.close();
  });

  it('refuses a private room or a rename that would pass for a channel, since every channel is public', async () => {
    const { client } = await signUpClient(server);
    await client.trpc.room.create.mutate({ name: 'announcements', kind: 'channel' });
    expect((await answer(() => client.trpc.room.create.mutate({ name: 'announcernents', kind: 'private' }))).code).toBe('CONFLICT');
    const mine = await client.trpc.room.create.mutate({ name: fresh('side'), kind: 'channel' });
    expect(await answer(() => client.trpc.room.update.mutate({ roomId: mine.id, name: 'Announcement-s' }))).toEqual({
      code: 'CONFLICT',
      message: 'The name "Announcement-s" is too similar to the channel "announcements"; pick another one',
    });
    expect(await answer(() => client.trpc.room.update.mutate({ roomId: mine.id, name: 'announcements-2' }))).toEqual({ code: 'resolved', message: '' });
    await client.close();
  });

  it('keeps #everyone’s name to itself in every look-alike spelling', async () => {
    const { client } = await signUpClient(server);
    for (const name of ['Everyone', 'every0ne', 'everyOne', 'evEry-one']) {
      expect((await answer(() => client.trpc.room.create.mutate({ name, kind: 'channel' }))).code, name).toBe('CONFLICT');
    }
    await client.close();
  });

  it('still accepts channels that merely share letters with existing ones', async () => {
    const { client } = await signUpClient(server);
    await client.trpc.room.create.mutate({ name: 'random', kind: 'channel' });
    for (const name of ['randoms', 'random-2', 'fandom', 'rand', 'tandem']) {
      expect(await answer(() => client.trpc.room.create.mutate({ name, kind: 'channel' })), name).toEqual({ code: 'resolved', message: '' });
    }
    await client.close();
  });

  it('lets exactly one of many concurrent look-alike channels win', async () => {
    const { client } = await signUpClient(server);
    const variants = ['lobby', 'Iobby', '1obby', 'l0bby', 'lo_bby', 'LOBBY', 'l-obby', 'I0BBY'];
    const results = await Promise.all(variants.map((name) => answer(() => client.trpc.room.create.mutate({ name, kind: 'channel' }))));
    expect(results.filter((r) => r.code === 'resolved')).toHaveLength(1);
    expect(results.filter((r) => r.code === 'CONFLICT')).toHaveLength(variants.length - 1);
    await client.close();
  });

  it('lets the creator change a channel’s topic and the case of its own name', async () => {
    const { client } = await signUpClient(server);
    const room = await client.trpc.room.create.mutate({ name: 'dev-talk', kind: 'channel' });
    await expect(client.trpc.room.update.mutate({ roomId: room.id, name: 'dev-talk', topic: 'builds' })).resolves.toMatchObject({ name: 'dev-talk', topic: 'builds' });
    await expect(client.trpc.room.update.mutate({ roomId: room.id, name: 'Dev-Talk' })).resolves.toMatchObject({ name: 'Dev-Talk' });
    await client.close();
  });
});
