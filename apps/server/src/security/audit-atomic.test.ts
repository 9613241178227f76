import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, http, runUserRole } from '../testing/moderation.test-helpers';
import { roomName } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// A moderator action and its audit entry commit together (docs/decisions/112-audit-log.md): when the
// entry cannot be written, the action did not happen. The database refuses the entries naming one
// user (a trigger of this file's own), standing in for a crash between the action and its entry.

type Account = Awaited<ReturnType<typeof signUpClient>>;
let server: TestServer;
let owner: Account;
const sql = <T extends object[]>(query: string, params: unknown[] = []) => server.orm.em.fork().execute<T>(query, params);

beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
  owner = await signUpClient(server, 'owner');
  expect((await runUserRole(server.databaseUrl, owner.user.username, 'owner')).code).toBe(0);
  await sql(`create table audit_refused (user_id uuid primary key)`);
  await sql(`create function refuse_audit() returns trigger language plpgsql as $$
    begin
      if new.target_user_id in (select user_id from audit_refused) then raise exception 'audit entry refused by the test'; end if;
      return new;
    end $$`);
  await sql(`create trigger audit_refused before insert on audit_log for each row execute function refuse_audit()`);
}, 60_000);
afterAll(async () => {
  await owner?.client.close();
  await server?.dispose();
});

/** A user whose audit entries the database refuses. */
async function unauditable(prefix: string): Promise<Account> {
  const user = await signUpClient(server, prefix);
  await sql('insert into audit_refused (user_id) values (?)', [user.user.id]);
  return user;
}
const standing = async (userId: string) =>
  (await sql<{ role: string; muted: boolean }[]>('select role, muted_until is not null as muted from users where id = ?', [userId]))[0];
const entriesNaming = async (userId: string) => (await sql<{ n: number }[]>('select count(*)::int as n from audit_log where target_user_id = ?', [userId]))[0]!.n;

describe('an action whose audit entry is refused', () => {
  it('mute and role change leave the user as they were', async () => {
    const target = await unauditable('target');
    const admin = http(server, owner.token).admin;
    expect(await codeOf(admin.mute.mutate({ userId: target.user.id, minutes: 10, reason: 'noise' }))).toBe('INTERNAL_SERVER_ERROR');
    expect(await codeOf(admin.setRole.mutate({ userId: target.user.id, role: 'admin' }))).toBe('INTERNAL_SERVER_ERROR');
    expect(await standing(target.user.id)).toEqual({ role: 'member', muted: false });
    expect(await entriesNaming(target.user.id)).toBe(0);
    await target.client.close();
  });

  it("a moderator's delete and a report's delete leave the message and the reports as they were", async () => {
    const [creator, reporter] = await Promise.all([signUpClient(server), signUpClient(server)]);
    const author = await unauditable('author');
    const { id: roomId } = await creator.client.trpc.room.create.mutate({ name: roomName('audit'), kind: 'channel' });
    for (const m of [author, reporter]) await m.client.trpc.room.join.mutate({ roomId });
    const deleted = await author.client.trpc.chat.send.mutate({ roomId, text: 'removed by its channel creator' });
    const reported = await author.client.trpc.chat.send.mutate({ roomId, text: 'reported to the admins' });
    const { reportId } = await reporter.client.trpc.chat.report.mutate({ messageId: reported.id, reason: 'rude' });

    expect(await codeOf(creator.client.trpc.chat.delete.mutate({ messageId: deleted.id, reason: 'off topic' }))).toBe('INTERNAL_SERVER_ERROR');
    expect(await codeOf(http(server, owner.token).admin.resolveReport.mutate({ reportId, action: 'delete' }))).toBe('INTERNAL_SERVER_ERROR');

    const rows = await sql<{ id: string; text: string; deleted: boolean }[]>('select id::text as id, text, deleted_at is not null as deleted from messages m where m.id in (?, ?) order by m.id', [deleted.id, reported.id]);
    expect(rows).toEqual([
      { id: deleted.id, text: 'removed by its channel creator', deleted: false },
      { id: reported.id, text: 'reported to the admins', deleted: false },
    ]);
    const events = await sql<{ n: number }[]>(`select count(*)::int as n from events where type = 'message.deleted' and message_id in (?, ?)`, [deleted.id, reported.id]);
    expect(events[0]!.n).toBe(0);
    expect((await http(server, owner.token).admin.reports.query()).reports.map((r) => r.reportId)).toContain(reportId);
    // And dismissing it, refused the same way, leaves it open too.
    expect(await codeOf(http(server, owner.token).admin.resolveReport.mutate({ reportId, action: 'dismiss' }))).toBe('INTERNAL_SERVER_ERROR');
    expect((await http(server, owner.token).admin.reports.query()).reports.map((r) => r.reportId)).toContain(reportId);
    await Promise.all([creator, reporter, author].map((a) => a.client.close()));
  });
});
