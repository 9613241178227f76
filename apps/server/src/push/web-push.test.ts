import { generateVapidKeys, type PushPayload } from '@chat/api';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserPushKeys, type FakePushService, fakePushNetwork, startFakePushService, verifyVapid } from '../testing/push-service.test-helpers';
import { codeOf, roomName, settle, sleep } from '../testing/rooms.test-helpers';
import { createTestClient, signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// Web Push through the real server and client, without the internet (docs/decisions/148-web-push.md):
// the push service is a local HTTP server on 127.0.0.2 (the one loopback address this test's network
// counts as public), and each test decrypts what reached it with the keys it subscribed with.

const vapid = generateVapidKeys();
let push: FakePushService;
let intranet: FakePushService;
let server: TestServer;
let off: TestServer;

const network = () => fakePushNetwork(push, { 'intranet.test': '127.0.0.1' });

beforeAll(async () => {
  push = await startFakePushService('127.0.0.2');
  intranet = await startFakePushService('127.0.0.1');
  server = await startTestServer({
    adminDatabaseUrl: inject('adminDatabaseUrl'),
    webPush: { vapid, subject: 'mailto:ops@chat.test', network: network(), sender: { retryDelaysMs: [50, 50], perUserPerMinute: 6, timeoutMs: 2_000 } },
  });
  off = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl') });
});
afterAll(async () => {
  await server?.dispose();
  await off?.dispose();
  await push?.close();
  await intranet?.close();
});

let endpoints = 0;
/** A user with one subscribed "browser": its endpoint path on the fake service and its keys. */
async function subscribed(prefix: string) {
  const account = await signUpClient(server, prefix);
  const browser = browserPushKeys();
  const path = `/send/${prefix}-${endpoints++}`;
  const endpoint = `http://push.test:${push.port}${path}`;
  await account.client.trpc.push.subscribe.mutate({ endpoint, keys: browser.keys });
  return { ...account, browser, path, endpoint };
}

const deliveredTo = (path: string) => push.received.filter((d) => d.path === path && d.status < 300);
const settled = () => server.deps.webPush!.settled();

async function dmBetween(a: Awaited<ReturnType<typeof signUpClient>>, b: { user: { id: string } }) {
  return a.client.trpc.room.openDirect.mutate({ userId: b.user.id });
}

describe('web push', () => {
  it('answers the VAPID public key, or null where push is off (where subscribing is NOT_FOUND)', async () => {
    const { client } = await signUpClient(server, 'key');
    expect(await client.trpc.push.publicKey.query()).toEqual({ publicKey: vapid.publicKey });
    const other = await signUpClient(off, 'key');
    expect(await other.client.trpc.push.publicKey.query()).toEqual({ publicKey: null });
    expect(await codeOf(() => other.client.trpc.push.subscribe.mutate({ endpoint: 'https://push.example.com/x', keys: browserPushKeys().keys }))).toBe('NOT_FOUND');
  });

  it('pushes a DM to a user with no tab open, encrypted to their subscription and signed with VAPID', async () => {
    const bob = await subscribed('bob');
    const alice = await signUpClient(server, 'alice');
    const dm = await dmBetween(alice, bob);
    const sent = await alice.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'lunch at noon?\nbring the   slides' });
    await settled();
    const [delivery] = deliveredTo(bob.path);
    expect(delivery).toBeDefined();
    expect(delivery!.headers['content-encoding']).toBe('aes128gcm');
    expect(Number(delivery!.headers.ttl)).toBeGreaterThan(0);
    const claims = verifyVapid(delivery!.headers.authorization, vapid.publicKey);
    expect(claims).toMatchObject({ aud: `http://push.test:${push.port}`, sub: 'mailto:ops@chat.test' });
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    // Neither the push service nor anyone on the way reads the text.
    expect(delivery!.body.includes(Buffer.from('lunch'))).toBe(false);
    const payload = JSON.parse(bob.browser.decrypt(delivery!.body)) as PushPayload;
    expect(payload).toEqual({ v: 1, roomId: dm.id, messageId: sent.id, reason: 'dm', title: alice.user.username, body: 'lunch at noon? bring the slides' });
    // Keys of another browser cannot open it.
    expect(() => browserPushKeys().decrypt(delivery!.body)).toThrow();
  });

  it('pushes every message of a group DM as a DM (docs/decisions/153), and nothing to its author', async () => {
    const bob = await subscribed('gbob');
    const cy = await subscribed('gcy');
    const alice = await signUpClient(server, 'galice');
    const group = await alice.client.trpc.room.openGroup.mutate({ userIds: [bob.user.id, cy.user.id] });
    const sent = await alice.client.trpc.chat.send.mutate({ roomId: group.id, text: 'plans for friday' });
    await settled();
    for (const member of [bob, cy]) {
      expect(deliveredTo(member.path)).toHaveLength(1);
      expect(JSON.parse(member.browser.decrypt(deliveredTo(member.path)[0]!.body))).toEqual({ v: 1, roomId: group.id, messageId: sent.id, reason: 'dm', title: alice.user.username, body: 'plans for friday' });
    }
    await bob.client.trpc.chat.send.mutate({ roomId: group.id, text: 'count me in' });
    await settled();
    expect(deliveredTo(bob.path)).toHaveLength(1);
    expect(deliveredTo(cy.path)).toHaveLength(2);
  });

  it('pushes a mention in a channel, not a plain message (the default level), and every message at level "all"', async () => {
    const carol = await subscribed('carol');
    const dave = await signUpClient(server, 'dave');
    const room = await dave.client.trpc.room.create.mutate({ name: roomName('push'), kind: 'channel' });
    await carol.client.trpc.room.join.mutate({ roomId: room.id });
    await dave.client.trpc.chat.send.mutate({ roomId: room.id, text: 'nothing for anyone' });
    const mention = await dave.client.trpc.chat.send.mutate({ roomId: room.id, text: `@${carol.user.username} ${'x'.repeat(300)}` });
    await settled();
    expect(deliveredTo(carol.path)).toHaveLength(1);
    const payload = JSON.parse(carol.browser.decrypt(deliveredTo(carol.path)[0]!.body)) as PushPayload;
    expect(payload).toMatchObject({ roomId: room.id, messageId: mention.id, reason: 'mention', title: `${dave.user.username} in #${room.name}` });
    expect([...payload.body]).toHaveLength(100);

    await carol.client.trpc.notifications.setRoom.mutate({ roomId: room.id, level: 'all' });
    const plain = await dave.client.trpc.chat.send.mutate({ roomId: room.id, text: 'now this one too' });
    await settled();
    expect(deliveredTo(carol.path)).toHaveLength(2);
    expect(JSON.parse(carol.browser.decrypt(deliveredTo(carol.path)[1]!.body))).toMatchObject({ messageId: plain.id, reason: 'message' });
  });

  it('stays silent for "nothing", a mute, do-not-disturb hours and the author; a mute over lets it through again', async () => {
    const erin = await subscribed('erin');
    const frank = await signUpClient(server, 'frank');
    const dm = await dmBetween(frank, erin);
    await erin.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'my own message' });
    await erin.client.trpc.notifications.setRoom.mutate({ roomId: dm.id, level: 'nothing' });
    await frank.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'level nothing' });
    await erin.client.trpc.notifications.setRoom.mutate({ roomId: dm.id, level: 'mentions', mutedUntil: new Date(Date.now() + 1_500).toISOString() });
    await frank.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'muted' });
    // Quiet hours around this very minute, in a zone far from UTC.
    const now = new Date();
    const minute = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kathmandu', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now).filter((p) => p.type === 'hour' || p.type === 'minute').map((p) => p.value).join('').replace(/^(\d\d)(\d\d)$/, (_, h: string, m: string) => String(Number(h) * 60 + Number(m))));
    await sleep(1_600);
    await erin.client.trpc.notifications.setSchedule.mutate({ schedule: { startMinute: (minute + 1440 - 5) % 1440, endMinute: (minute + 5) % 1440, timeZone: 'Asia/Kathmandu' } });
    await frank.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'do not disturb' });
    await settled();
    expect(deliveredTo(erin.path)).toHaveLength(0);
    await erin.client.trpc.notifications.setSchedule.mutate({ schedule: null });
    const through = await frank.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'mute is over' });
    await settled();
    expect(deliveredTo(erin.path).map((d) => (JSON.parse(erin.browser.decrypt(d.body)) as PushPayload).messageId)).toEqual([through.id]);
  });

  it('pushes a reply in a thread to those who follow it (the root’s author by default), not to who unfollowed or never took part', async () => {
    const ivy = await subscribed('ivy');
    const jon = await subscribed('jon');
    const kim = await subscribed('kim');
    const room = await ivy.client.trpc.room.create.mutate({ name: roomName('threads'), kind: 'channel' });
    await jon.client.trpc.room.join.mutate({ roomId: room.id });
    await kim.client.trpc.room.join.mutate({ roomId: room.id });
    const root = await ivy.client.trpc.chat.send.mutate({ roomId: room.id, text: 'release on friday?' });
    const first = await jon.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'yes, after the review' });
    await settled();
    // Ivy follows her root; Kim never took part (a plain room message: the default level is silent for her).
    expect(deliveredTo(ivy.path).map((d) => JSON.parse(ivy.browser.decrypt(d.body)) as PushPayload)).toEqual([
      expect.objectContaining({ roomId: room.id, messageId: first.id, reason: 'thread-reply' }),
    ]);
    expect(deliveredTo(kim.path)).toHaveLength(0);
    // Jon follows by replying; Ivy unfollows, so only Jon hears of her next reply's answer.
    await ivy.client.trpc.thread.unfollow.mutate({ rootId: root.id });
    const second = await kim.client.trpc.thread.reply.mutate({ rootId: root.id, text: 'friday works' });
    await settled();
    expect(deliveredTo(ivy.path)).toHaveLength(1);
    expect(deliveredTo(jon.path).map((d) => (JSON.parse(jon.browser.decrypt(d.body)) as PushPayload).messageId)).toEqual([second.id]);
    expect(deliveredTo(kim.path)).toHaveLength(0);
  });

  it('holds back while a device of the user shows the room in a focused tab, and not after it looks away', async () => {
    const gina = await subscribed('gina');
    const hal = await signUpClient(server, 'hal');
    const dm = await dmBetween(hal, gina);
    await gina.client.trpc.push.focus.mutate({ roomId: dm.id });
    await hal.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'she sees this one' });
    await settled();
    expect(deliveredTo(gina.path)).toHaveLength(0);
    // Another room in focus: this one is not seen.
    await gina.client.trpc.push.focus.mutate({ roomId: null });
    const missed = await hal.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'tab closed now' });
    await settled();
    expect(deliveredTo(gina.path).map((d) => (JSON.parse(gina.browser.decrypt(d.body)) as PushPayload).messageId)).toEqual([missed.id]);
  });

  it('tells the user\'s other devices which room a device looks at (focus.changed), not anyone else', async () => {
    const ivy = await signUpClient(server, 'ivy');
    const second = await createTestClient(server, null).trpc.auth.login.mutate({ username: ivy.user.username, password: ivy.password });
    const phone = createTestClient(server, second.token);
    const stranger = await signUpClient(server, 'stranger');
    const seen: unknown[] = [];
    const strangerSeen: unknown[] = [];
    const a = phone.trpc.chat.onEvent.subscribe(undefined, { onData: (e) => seen.push(e.data) });
    const b = stranger.client.trpc.chat.onEvent.subscribe(undefined, { onData: (e) => strangerSeen.push(e.data) });
    await settle();
    const room = await ivy.client.trpc.room.create.mutate({ name: roomName('focus'), kind: 'private' });
    await ivy.client.trpc.push.focus.mutate({ roomId: room.id });
    await settle();
    expect(seen).toContainEqual({ type: 'focus.changed', device: expect.any(String), focusedRoomId: room.id });
    expect(strangerSeen.filter((e) => (e as { type: string }).type === 'focus.changed')).toEqual([]);
    a.unsubscribe();
    b.unsubscribe();
    await phone.close();
  });

  it('deletes a subscription the push service says is gone (410, 404), and retries one that is busy (503)', async () => {
    const jay = await subscribed('jay');
    const kim = await signUpClient(server, 'kim');
    const dm = await dmBetween(kim, jay);
    push.answer(jay.path, 503, 429);
    const late = await kim.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'after two refusals' });
    await settled();
    expect(deliveredTo(jay.path).map((d) => (JSON.parse(jay.browser.decrypt(d.body)) as PushPayload).messageId)).toEqual([late.id]);
    push.answer(jay.path, 410);
    await kim.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'gone' });
    await settled();
    expect(await server.deps.orm.em.fork().getConnection().execute('select count(*)::int as n from push_subscriptions where user_id = ?', [jay.user.id])).toEqual([{ n: 0 }]);
    await kim.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'nobody to push to' });
    await settled();
    expect(deliveredTo(jay.path)).toHaveLength(1);
  });

  it('removes the subscription when its session logs out, and all of them when the user is banned', async () => {
    const lea = await subscribed('lea');
    const mo = await signUpClient(server, 'mo');
    const dm = await dmBetween(mo, lea);
    await lea.client.trpc.auth.logout.mutate();
    await mo.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'after logout' });
    await settled();
    expect(deliveredTo(lea.path)).toHaveLength(0);
    const count = async (userId: string) =>
      ((await server.deps.orm.em.fork().getConnection().execute('select count(*)::int as n from push_subscriptions where user_id = ?', [userId])) as { n: number }[])[0]!.n;
    expect(await count(lea.user.id)).toBe(0);

    const ned = await subscribed('ned');
    const admin = await signUpClient(server, 'admin');
    await server.deps.orm.em.fork().getConnection().execute(`update users set role = 'owner' where id = ?`, [admin.user.id]);
    expect(await count(ned.user.id)).toBe(1);
    await admin.client.trpc.admin.ban.mutate({ userId: ned.user.id, reason: 'spam' });
    expect(await count(ned.user.id)).toBe(0);
  });

  it('never sends a send\'s answer after the push service: a hanging service delays nothing', async () => {
    const oz = await subscribed('oz');
    const pat = await signUpClient(server, 'pat');
    const dm = await dmBetween(pat, oz);
    push.answer(oz.path, 'hang');
    const started = Date.now();
    await pat.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'quick' });
    expect(Date.now() - started).toBeLessThan(1_000);
    await settled();
    // Timed out once, then retried.
    expect(deliveredTo(oz.path)).toHaveLength(1);
  });

  it('caps the pushes one user gets per minute', async () => {
    const quinn = await subscribed('quinn');
    const ray = await signUpClient(server, 'ray');
    const dm = await dmBetween(ray, quinn);
    for (let i = 0; i < 9; i++) await ray.client.trpc.chat.send.mutate({ roomId: dm.id, text: `flood ${i}` });
    await settled();
    expect(deliveredTo(quinn.path)).toHaveLength(6);
  });
});

describe('web push: hostile subscriptions', () => {
  it('refuses endpoints that are not push services: private and metadata addresses, other schemes, credentials', async () => {
    const def = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), webPush: { vapid, subject: 'mailto:ops@chat.test' } });
    try {
      const { client } = await signUpClient(def, 'ssrf');
      const keys = browserPushKeys().keys;
      for (const endpoint of [
        `http://push.example.com/x`,
        'https://127.0.0.1/x',
        'https://10.0.0.8/x',
        'https://169.254.169.254/latest/meta-data',
        'https://[::1]/x',
        'https://[::ffff:127.0.0.1]/x',
        'https://push.example.com:8443/x',
        'https://user:pw@push.example.com/x',
        'file:///etc/passwd',
        'javascript:alert(1)',
      ])
        expect(await codeOf(() => client.trpc.push.subscribe.mutate({ endpoint, keys })), endpoint).toBe('BAD_REQUEST');
      // An ordinary push service is taken.
      expect(await client.trpc.push.subscribe.mutate({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys })).toEqual({ subscribed: true });
    } finally {
      await def.dispose();
    }
  });

  it('posts nothing to a name that resolves to a private address', async () => {
    const sam = await signUpClient(server, 'sam');
    const path = '/intranet';
    await sam.client.trpc.push.subscribe.mutate({ endpoint: `http://intranet.test:${intranet.port}${path}`, keys: browserPushKeys().keys });
    const tia = await signUpClient(server, 'tia');
    const dm = await dmBetween(tia, sam);
    await tia.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'to the intranet?' });
    await settled();
    expect(intranet.received).toEqual([]);
  });

  it('refuses malformed keys and oversized endpoints with BAD_REQUEST, and one user cannot unsubscribe another', async () => {
    const uma = await subscribed('uma');
    const vic = await signUpClient(server, 'vic');
    const good = browserPushKeys().keys;
    for (const keys of [
      { p256dh: good.p256dh.slice(1), auth: good.auth },
      { p256dh: good.p256dh, auth: `${good.auth}AA` },
      { p256dh: '<script>', auth: good.auth },
      { p256dh: good.p256dh, auth: good.auth, extra: 1 },
    ])
      expect(await codeOf(() => vic.client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/v`, keys: keys as typeof good }))).toBe('BAD_REQUEST');
    expect(await codeOf(() => vic.client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/${'a'.repeat(3000)}`, keys: good }))).toBe('BAD_REQUEST');
    expect(await vic.client.trpc.push.unsubscribe.mutate({ endpoint: uma.endpoint })).toEqual({ removed: false });
    expect(await uma.client.trpc.push.unsubscribe.mutate({ endpoint: uma.endpoint })).toEqual({ removed: true });
  });

  it('a key that cannot be encrypted to is dropped as gone, and the server keeps going', async () => {
    const wes = await signUpClient(server, 'wes');
    // 65 bytes but not a point on the curve: passes the schema, fails at encryption.
    const bogus = Buffer.alloc(65, 7);
    bogus[0] = 4;
    await wes.client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/bogus`, keys: { p256dh: bogus.toString('base64url'), auth: browserPushKeys().keys.auth } });
    const xan = await signUpClient(server, 'xan');
    const dm = await dmBetween(xan, wes);
    await xan.client.trpc.chat.send.mutate({ roomId: dm.id, text: 'to a broken key' });
    await settled();
    expect(deliveredTo('/bogus')).toEqual([]);
    expect(await wes.client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/fixed`, keys: browserPushKeys().keys })).toEqual({ subscribed: true });
  });

  it('charges subscribe, unsubscribe and focus reports to their limits (TOO_MANY_REQUESTS, nothing written)', async () => {
    const tight = await startTestServer({
      adminDatabaseUrl: inject('adminDatabaseUrl'),
      webPush: { vapid, subject: 'mailto:ops@chat.test', network: network() },
      rateLimits: { notificationWritesPerUser: { points: 2, duration: 60 }, focusReportsPerUser: { points: 2, duration: 60 } },
    });
    try {
      const { client, user } = await signUpClient(tight, 'limit');
      const keys = browserPushKeys().keys;
      await client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/l1`, keys });
      await client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/l2`, keys });
      expect(await codeOf(() => client.trpc.push.subscribe.mutate({ endpoint: `http://push.test:${push.port}/l3`, keys }))).toBe('TOO_MANY_REQUESTS');
      expect(await codeOf(() => client.trpc.notifications.setSchedule.mutate({ schedule: null }))).toBe('TOO_MANY_REQUESTS');
      const rows = (await tight.deps.orm.em.fork().getConnection().execute('select count(*)::int as n from push_subscriptions where user_id = ?', [user.id])) as { n: number }[];
      expect(rows[0]!.n).toBe(2);
      await client.trpc.push.focus.mutate({ roomId: null });
      await client.trpc.push.focus.mutate({ roomId: null });
      expect(await codeOf(() => client.trpc.push.focus.mutate({ roomId: null }))).toBe('TOO_MANY_REQUESTS');
    } finally {
      await tight.dispose();
    }
  });
});
