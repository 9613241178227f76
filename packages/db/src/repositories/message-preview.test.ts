import { expect, it } from 'vitest';
import { repositoriesFor } from '../orm';
import { useMigratedDatabase } from '../test-database';
import { EVERYONE_ROOM_ID } from './room.repository';

// The races a preview write must lose (docs/decisions/138): the fetch runs outside the send, so the
// message may have been edited, deleted or had its preview removed by the time the card comes back.

const database = useMigratedDatabase({ poolMax: 2 });
const repos = () => repositoriesFor(database.orm.em.fork());
let counter = 0;

async function sent(text: string) {
  const author = (await repos().users.insertIfUsernameFree({ username: `pv${counter++}`, passwordHash: 'x' }))!;
  await repos().rooms.joinEveryone(author.id);
  const appended = await repos().messages.append({ authorId: author.id, roomId: EVERYONE_ROOM_ID, text, clientMessageId: null });
  if (appended.refused) throw new Error('refused');
  return { author, id: appended.message.id };
}

const card = (url: string) => ({ url, title: `Title of ${url}` });

it('stores a card once, with one message.preview event, and reads it back with the message', async () => {
  const { id } = await sent('see https://a.example/x');
  const event = await repos().messages.storePreview({ messageId: id, card: card('https://a.example/x') });
  expect(event).toMatchObject({ type: 'message.preview', messageId: id, roomId: EVERYONE_ROOM_ID, message: { id, preview: card('https://a.example/x') } });
  expect(await repos().messages.storePreview({ messageId: id, card: card('https://a.example/x') })).toBeNull();
  const page = await repos().messages.pageBefore(null, 1, EVERYONE_ROOM_ID);
  expect(page.messages[0]).toMatchObject({ id, preview: card('https://a.example/x') });
});

it('writes nothing for a link the text no longer holds, a deleted message, or after the author removed it', async () => {
  const edited = await sent('see https://a.example/old');
  await repos().messages.edit({ messageId: edited.id, authorId: edited.author.id, text: 'see https://a.example/new', mentionNames: [], previewUrl: 'https://a.example/new' });
  expect(await repos().messages.storePreview({ messageId: edited.id, card: card('https://a.example/old') })).toBeNull();

  const deleted = await sent('see https://a.example/d');
  await repos().messages.softDelete({ messageId: deleted.id, actorId: deleted.author.id, by: 'author' });
  expect(await repos().messages.storePreview({ messageId: deleted.id, card: card('https://a.example/d') })).toBeNull();

  // Removed while the fetch was still under way: the mark keeps the late card out.
  const removed = await sent('see https://a.example/r');
  expect(await repos().messages.removePreview({ messageId: removed.id, authorId: removed.author.id, link: 'https://a.example/r' })).toMatchObject({ type: 'message.preview' });
  expect(await repos().messages.storePreview({ messageId: removed.id, card: card('https://a.example/r') })).toBeNull();
  expect(await repos().messages.removePreview({ messageId: removed.id, authorId: removed.author.id, link: 'https://a.example/r' })).toBeNull();
});

it('lets only the author remove a preview, and a delete clears the stored card', async () => {
  const { author, id } = await sent('see https://a.example/z');
  const other = await sent('x');
  await repos().messages.storePreview({ messageId: id, card: card('https://a.example/z') });
  expect(await repos().messages.removePreview({ messageId: id, authorId: other.author.id, link: 'https://a.example/z' })).toBeNull();
  await repos().messages.softDelete({ messageId: id, actorId: author.id, by: 'author' });
  const rows = await database.orm.em.fork().execute<{ preview: unknown }[]>('select preview from messages where id = ?', [id]);
  expect(rows[0]!.preview).toBeNull();
});
