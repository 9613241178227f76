import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { http, runUserRole, runUserRoleOn } from '../testing/moderation.test-helpers';
import { settle, watchEvents } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { redisAvailable } from '../testing/test-redis';
import type { TestServer } from '../testing/testing';
import { startTwoInstances } from '../testing/two-instances';

type Watch = ReturnType<typeof watchEvents>;
const rolesSeen = (watch: Watch) => watch.items.flatMap(({ data }) => (data.type === 'role.changed' ? [data.role] : []));

// The user's sockets hear their own role change (role.changed), on whichever instance they are;
// nobody else hears it. Two instances of one deployment, the owner calling on one, the user on both.
const withRedis = await redisAvailable('role-events.contract.test.ts');
let instances: Awaited<ReturnType<typeof startTwoInstances>>;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  if (!withRedis) return;
  instances = await startTwoInstances({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  ({ a, b } = instances);
});
afterAll(() => instances?.dispose());

describe.runIf(withRedis)('role.changed on chat.onEvent', () => {
  it("reaches every socket of the user whose role changed, on any instance, and no one else's", async () => {
    const owner = await signUpClient(a, 'owner');
    const made = await runUserRole(a.databaseUrl, owner.user.username, 'owner');
    expect(made.code).toBe(0);
    const member = await signUpClient(a, 'member');
    const bystander = await signUpClient(a, 'bystander');
    const onA = watchEvents(member.client);
    const onB = watchEvents(createTestClient(b, member.token));
    const others = [watchEvents(bystander.client), watchEvents(owner.client)];
    await settle();

    await http(a, owner.token).admin.setRole.mutate({ userId: member.user.id, role: 'admin' });
    await expect.poll(() => [rolesSeen(onA), rolesSeen(onB)]).toEqual([['admin'], ['admin']]);
    await http(a, owner.token).admin.setRole.mutate({ userId: member.user.id, role: 'member' });
    await expect.poll(() => [rolesSeen(onA), rolesSeen(onB)]).toEqual([
      ['admin', 'member'],
      ['admin', 'member'],
    ]);
    // What the event says is what auth.role answers.
    expect(await http(b, member.token).auth.role.query()).toEqual({ role: 'member' });
    for (const watch of others) expect(rolesSeen(watch)).toEqual([]);
    for (const watch of [onA, onB, ...others]) expect(watch.errors).toEqual([]);
  });

  it('reaches them from `pnpm user:role` too, a process of the deployment that serves no sockets', async () => {
    const member = await signUpClient(a, 'member');
    const bystander = await signUpClient(a, 'bystander');
    const onA = watchEvents(member.client);
    const onB = watchEvents(createTestClient(b, member.token));
    const other = watchEvents(bystander.client);
    await settle();

    const run = await runUserRoleOn({ databaseUrl: a.databaseUrl, ...instances.redis }, member.user.username, 'admin');
    expect(run).toMatchObject({ code: 0, stdout: `${member.user.username} is now admin\n` });
    await expect.poll(() => [rolesSeen(onA), rolesSeen(onB)]).toEqual([['admin'], ['admin']]);
    expect(await http(b, member.token).auth.role.query()).toEqual({ role: 'admin' });
    expect(rolesSeen(other)).toEqual([]);
  });

  it('announces nothing when the command refuses (no such user), and says where open tabs learn it without Redis', async () => {
    const member = await signUpClient(a, 'member');
    const mine = watchEvents(member.client);
    await settle();
    const refused = await runUserRoleOn({ databaseUrl: a.databaseUrl, ...instances.redis }, 'nobody_here', 'owner');
    expect(refused.code).toBe(1);
    const withoutRedis = await runUserRole(a.databaseUrl, member.user.username, 'admin');
    expect(withoutRedis.stdout).toBe(`${member.user.username} is now admin\n`);
    expect(withoutRedis.stderr).toContain('when they reconnect or reload');
    await settle();
    // Without the deployment's Redis the command cannot reach these sockets; the role is stored all the same.
    expect(rolesSeen(mine)).toEqual([]);
    expect(await http(a, member.token).auth.role.query()).toEqual({ role: 'admin' });
  });

  it('says nothing when the change is refused (a member promoting themselves)', async () => {
    const member = await signUpClient(a, 'member');
    const mine = watchEvents(member.client);
    await settle();
    await expect(http(a, member.token).admin.setRole.mutate({ userId: member.user.id, role: 'owner' })).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    await settle();
    expect(rolesSeen(mine)).toEqual([]);
    expect(await http(a, member.token).auth.role.query()).toEqual({ role: 'member' });
  });
});
