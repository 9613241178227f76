import { startS3TestServer, type S3TestServer } from '@chat/files/testing';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { makePdf, makePng, rawTus, tusUpload } from '../testing/files.test-helpers';
import { roomName } from '../testing/rooms.test-helpers';
import { signUpClient } from '../testing/test-client';
import { startTestServer, type TestServer } from '../testing/testing';

// The same exchange as files.contract.test.ts with FILE_STORAGE=s3, against s3rver (a real S3-protocol server):
// uploads go through tus's S3 store, downloads and erasure through the S3 storage.

let s3: S3TestServer;
let server: TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer('chat-files');
  server = await startTestServer({ adminDatabaseUrl: inject('adminDatabaseUrl'), files: { storage: s3.config } });
});
afterAll(async () => {
  await server?.dispose();
  await s3?.close();
});

it('exchanges an image and a PDF through S3, resumes a cut upload, and a delete erases the objects from the store', async () => {
  const alice = await signUpClient(server, 'alice');
  const bob = await signUpClient(server, 'bob');
  const room = await alice.client.trpc.room.create.mutate({ name: roomName('s3'), kind: 'private' });
  await alice.client.trpc.room.invite.mutate({ roomId: room.id, userId: bob.user.id });

  const pdf = makePdf('in s3');
  const image = await tusUpload(server, alice.token, { roomId: room.id, name: 'pic.png', bytes: makePng(48, 24) });
  if (!image.ok) throw new Error(image.body);
  // Sent in two PATCHes, as after a dropped connection: HEAD says where to go on.
  const tus = rawTus(server, alice.token);
  const location = (await tus.create(pdf.length, { filename: 'doc.pdf', roomId: room.id })).headers.get('location')!;
  expect((await tus.patch(location, 0, pdf.subarray(0, 100))).status).toBe(204);
  expect((await tus.head(location)).headers.get('upload-offset')).toBe('100');
  const finished = await tus.patch(location, 100, pdf.subarray(100));
  expect(finished.status).toBe(204);
  const pdfId = finished.headers.get('chat-attachment-id')!;

  const sent = await alice.client.trpc.chat.send.mutate({ roomId: room.id, text: 'via s3', attachmentIds: [image.attachmentId, pdfId] });
  expect(sent.attachments?.map((a) => [a.kind, a.width ?? null])).toEqual([
    ['image', 48],
    ['file', null],
  ]);
  const download = await fetch(`${server.url}/files/${pdfId}`, { headers: { Authorization: `Bearer ${bob.token}` } });
  expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);
  const thumbnail = await fetch(`${server.url}/files/${image.attachmentId}/thumbnail`, { headers: { Authorization: `Bearer ${bob.token}` } });
  expect(thumbnail.status).toBe(200);

  const { storage } = server.files!;
  expect(await storage.stat(pdfId)).toEqual({ size: pdf.length });
  expect(await storage.stat(`${image.attachmentId}.thumb`)).not.toBeNull();
  await alice.client.trpc.chat.delete.mutate({ messageId: sent.id });
  await server.deps.fileErasure.settled();
  expect(await storage.stat(pdfId)).toBeNull();
  expect(await storage.stat(image.attachmentId)).toBeNull();
  expect(await storage.stat(`${image.attachmentId}.thumb`)).toBeNull();
  expect((await fetch(`${server.url}/files/${pdfId}`, { headers: { Authorization: `Bearer ${bob.token}` } })).status).toBe(404);
});
