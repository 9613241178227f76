import { repositoriesFor } from '@chat/db';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { codeOf, roomName, settle, watchEvents } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Pinned messages (issue 25, docs/decisions/154-pinned-messages.md) through the real server and client.

const EVERYONE = '00000000-0000-4000-8000-000000000001';
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(() => server?.dispose());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => signUpClient(server, 'pin')));

describe('who may pin', () => {
  it('in a channel: its moderator (the creator) pins and unpins, audited; a member is FORBIDDEN; a non-member FORBIDDEN or NOT_FOUND', async () => {
    const [mod, member, outsider] = await people(3);
    const channel = await mod!.client.trpc.room.create.mutate({ name: roomName('pins'), kind: 'channel' });
    await member!.client.trpc.room.join.mutate({ roomId: channel.id });
    const sent = await member!.client.trpc.chat.send.mutate({ roomId: channel.id, text: 'pin me' });

    expect(await codeOf(() => member!.client.trpc.chat.pin.mutate({ messageId: sent.id }))).toBe('FORBIDDEN');
    expect(await codeOf(() => outsider!.client.trpc.chat.pin.mutate({ messageId: sent.id }))).toBe('NOT_FOUND');
    expect(await codeOf(() => outsider!.client.trpc.chat.pins.query({ roomId: channel.id }))).toBe('FORBIDDEN');

    await mod!.client.trpc.chat.pin.mutate({ messageId: sent.id });
    const pins = await member!.client.trpc.chat.pins.query({ roomId: channel.id });
    expect(pins).toEqual([{ message: expect.objectContaining({ id: sent.id, text: 'pin me', roomId: channel.id }), pinnedBy: { id: mod!.user.id, username: mod!.user.username }, pinnedAt: expect.any(String) }]);
    expect(await codeOf(() => member!.client.trpc.chat.unpin.mutate({ messageId: sent.id }))).toBe('FORBIDDEN');
    await mod!.client.trpc.chat.unpin.mutate({ messageId: sent.id });
    expect(await member!.client.trpc.chat.pins.query({ roomId: channel.id })).toEqual([]);

    const audit = await repositoriesFor(server.orm.em.fork()).audit.page(null, 50);
    const mine = audit.filter((a) => a.actor?.id === mod!.user.id).map((a) => a.action);
    expect(mine).toEqual(expect.arrayContaining(['message.pin', 'message.unpin']));
  });

  it('in #everyone only admins and owners pin: a member is FORBIDDEN', async () => {
    const [member] = await people(1);
    const sent = await member!.client.trpc.chat.send.mutate({ text: 'everyone pin' });
    expect(await codeOf(() => member!.client.trpc.chat.pin.mutate({ messageId: sent.id }))).toBe('FORBIDDEN');
    expect(Array.isArray(await member!.client.trpc.chat.pins.query({ roomId: EVERYONE }))).toBe(true);
  });

  it('in a DM, a group DM and a private room, any member pins; not audited', async () => {
    const [ann, bob, cy] = await people(3);
    const dm = await ann!.client.trpc.room.openDirect.mutate({ userId: bob!.user.id });
    const group = await ann!.client.trpc.room.openGroup.mutate({ userIds: [bob!.user.id, cy!.user.id] });
    const priv = await ann!.client.trpc.room.create.mutate({ name: roomName('priv'), kind: 'private' });
    await ann!.client.trpc.room.invite.mutate({ roomId: priv.id, userId: bob!.user.id });
    for (const room of [dm, group, priv]) {
      const sent = await ann!.client.trpc.chat.send.mutate({ roomId: room.id, text: `in ${room.kind}` });
      await bob!.client.trpc.chat.pin.mutate({ messageId: sent.id });
      expect((await ann!.client.trpc.chat.pins.query({ roomId: room.id })).map((p) => p.message.id)).toEqual([sent.id]);
      // Pinning again changes nothing.
      await ann!.client.trpc.chat.pin.mutate({ messageId: sent.id });
      expect((await ann!.client.trpc.chat.pins.query({ roomId: room.id })).map((p) => p.pinnedBy?.id)).toEqual([bob!.user.id]);
    }
    const audit = await repositoriesFor(server.orm.em.fork()).audit.page(null, 200);
    expect(audit.some((a) => a.actor?.id === bob!.user.id && a.action === 'message.pin')).toBe(false);
  });
});

describe('the pinned list', () => {
  it('is newest pin first, capped at 50 with a clear refusal, and a deleted message leaves it', async () => {
    const [ann, bob] = await people(2);
    const dm = await ann!.client.trpc.room.openDirect.mutate({ userId: bob!.user.id });
    const ids: string[] = [];
    for (let i = 0; i < 51; i++) ids.push((await ann!.client.trpc.chat.send.mutate({ roomId: dm.id, text: `m${i}` })).id);
    for (const id of ids.slice(0, 50)) await ann!.client.trpc.chat.pin.mutate({ messageId: id });
    const refusal = await ann!.client.trpc.chat.pin.mutate({ messageId: ids[50]! }).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(/at most 50 pinned messages/);
    const pins = await bob!.client.trpc.chat.pins.query({ roomId: dm.id });
    expect(pins.map((p) => p.message.id)).toEqual(ids.slice(0, 50).reverse());

    await ann!.client.trpc.chat.delete.mutate({ messageId: ids[3]! });
    const after = await bob!.client.trpc.chat.pins.query({ roomId: dm.id });
    expect(after.length).toBe(49);
    expect(after.some((p) => p.message.id === ids[3])).toBe(false);
    // The freed place takes the next pin; a deleted message cannot be pinned.
    await ann!.client.trpc.chat.pin.mutate({ messageId: ids[50]! });
    expect(await codeOf(() => ann!.client.trpc.chat.pin.mutate({ messageId: ids[3]! }))).toBe('BAD_REQUEST');
  });

  it('shows an edit, refuses a thread-only reply, and survives concurrent pins of one message', async () => {
    const [ann, bob] = await people(2);
    const priv = await ann!.client.trpc.room.create.mutate({ name: roomName('edit'), kind: 'private' });
    await ann!.client.trpc.room.invite.mutate({ roomId: priv.id, userId: bob!.user.id });
    const root = await ann!.client.trpc.chat.send.mutate({ roomId: priv.id, text: 'root' });
    await Promise.all([ann!.client.trpc.chat.pin.mutate({ messageId: root.id }), bob!.client.trpc.chat.pin.mutate({ messageId: root.id }), ann!.client.trpc.chat.pin.mutate({ messageId: root.id })]);
    expect((await bob!.client.trpc.chat.pins.query({ roomId: priv.id })).length).toBe(1);
    await ann!.client.trpc.chat.edit.mutate({ messageId: root.id, text: 'root, edited' });
    expect((await bob!.client.trpc.chat.pins.query({ roomId: priv.id }))[0]?.message.text).toBe('root, edited');
    const reply = await bob!.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'in the thread' });
    expect(await codeOf(() => ann!.client.trpc.chat.pin.mutate({ messageId: reply.id }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => ann!.client.trpc.chat.pin.mutate({ messageId: '999999999999' }))).toBe('NOT_FOUND');
    expect(await codeOf(() => ann!.client.trpc.chat.pin.mutate({ messageId: 'x; drop table' } as never))).toBe('BAD_REQUEST');
  });

  it('reaches the members’ other devices live (message.pinned, message.unpinned, and a delete)', async () => {
    const [ann, bob] = await people(2);
    const dm = await ann!.client.trpc.room.openDirect.mutate({ userId: bob!.user.id });
    const sent = await ann!.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'live pin' });
    const bobPhone = watchEvents(bob!.client);
    const annOther = watchEvents(ann!.client);
    await settle();
    await ann!.client.trpc.chat.pin.mutate({ messageId: sent.id });
    for (const stream of [bobPhone, annOther]) {
      await expect
        .poll(() => stream.durable().find((e) => e.type === 'message.pinned'), { timeout: 10_000 })
        .toMatchObject({ roomId: dm.id, pin: { message: { id: sent.id, text: 'live pin' }, pinnedBy: { id: ann!.user.id } } });
    }
    await bob!.client.trpc.chat.unpin.mutate({ messageId: sent.id });
    await expect.poll(() => annOther.durable().find((e) => e.type === 'message.unpinned'), { timeout: 10_000 }).toMatchObject({ messageId: sent.id, by: { id: bob!.user.id } });
    bobPhone.stop();
    annOther.stop();
  });

  it('never reaches someone outside the room', async () => {
    const [ann, bob, eve] = await people(3);
    const dm = await ann!.client.trpc.room.openDirect.mutate({ userId: bob!.user.id });
    const sent = await ann!.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'secret pin' });
    const eveEvents = watchEvents(eve!.client);
    const bobEvents = watchEvents(bob!.client);
    await settle();
    await ann!.client.trpc.chat.pin.mutate({ messageId: sent.id });
    await expect.poll(() => bobEvents.durable().some((e) => e.type === 'message.pinned'), { timeout: 10_000 }).toBe(true);
    expect(eveEvents.durable().some((e) => e.type === 'message.pinned')).toBe(false);
    eveEvents.stop();
    bobEvents.stop();
  });
});
