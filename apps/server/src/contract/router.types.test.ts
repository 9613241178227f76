import type { AppRouter, ChatMessage, PublicUser, RoomMessage, SearchResult } from '@chat/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expectTypeOf, it } from 'vitest';

// Checked by `tsc` (pnpm typecheck): a breaking change to the API fails the build.
type In = inferRouterInputs<AppRouter>;
type Out = inferRouterOutputs<AppRouter>;
/**
 * A user as outputs name one; `avatar` optional, added with avatars (issue 24, docs/decisions/143-avatars.md);
 * `displayName` optional, added with profiles (issue 25, docs/decisions/155-profiles.md).
 */
type U = { id: string; username: string; avatar?: string; displayName?: string };
/** Issue 25: a user's profile fields, optional, omitted when unset (a status also once expired). */
type Status = { text: string; emoji?: string; expiresAt?: string };
type P = { id: string; username: string; createdAt: string; avatar?: string; displayName?: string; status?: Status; timeZone?: string };

describe('the API contract, at the type level', () => {
  it('keeps the shapes of every procedure', () => {
    // inviteCode: optional, added for registration mode `invite` (issue 16).
    expectTypeOf<In['auth']['signup']>().toEqualTypeOf<{ username: string; password: string; inviteCode?: string | undefined }>();
    expectTypeOf<In['auth']['login']>().toEqualTypeOf<{ username: string; password: string }>();
    expectTypeOf<Out['auth']['signup']>().toEqualTypeOf<{ token: string; user: PublicUser }>();
    expectTypeOf<Out['auth']['me']>().toEqualTypeOf<PublicUser>();
    expectTypeOf<PublicUser>().toEqualTypeOf<P>();
    expectTypeOf<In['user']['search']>().toEqualTypeOf<{ query: string; limit?: number | undefined }>();
    expectTypeOf<Out['user']['search']>().toEqualTypeOf<{ id: string; username: string; createdAt: string; avatar?: string; displayName?: string; status?: Status; timeZone?: string; online: boolean }[]>();
    expectTypeOf<In['chat']['send']>().toEqualTypeOf<{ roomId?: string | undefined; text: string; clientMessageId?: string | undefined; replyTo?: string | undefined; attachmentIds?: string[] | undefined }>();
    expectTypeOf<Out['chat']['send']>().toEqualTypeOf<ChatMessage>();
    expectTypeOf<ChatMessage>().toEqualTypeOf<{
      id: string;
      text: string;
      createdAt: string;
      author: U;
      clientMessageId: string | null;
      // Issue 15: optional, omitted when empty, so old bots see the same JSON for a plain message.
      editedAt?: string;
      deleted?: { at: string; by: 'author' | 'moderator' };
      replyTo?: { id: string; author: U; excerpt: string; deleted: boolean };
      mentions?: U[];
      // order: added (issue 15's order key), so clients can keep the server's emoji order.
      reactions?: { emoji: string; count: number; users: U[]; me: boolean; order: string }[];
      // Issue 24: optional, omitted when a message has no files.
      attachments?: { id: string; name: string; type: string; size: number; kind: 'image' | 'file'; width?: number; height?: number; animated?: boolean }[];
      // Issue 24: optional, omitted when none (the link card, docs/decisions/138).
      preview?: { url: string; title: string; description?: string; siteName?: string; image?: { url: string; width?: number; height?: number; attachmentId?: string } };
      // Issue 25: optional, omitted outside threads (docs/decisions/145-threads.md).
      threadRootId?: string;
      alsoInRoom?: true;
      thread?: { replyCount: number; lastReplyAt: string; repliers: U[] };
    }>();
    expectTypeOf<In['file']['ticket']>().toEqualTypeOf<{ attachmentId: string }>();
    expectTypeOf<Out['file']['ticket']>().toEqualTypeOf<{ url: string; expiresAt: string; thumbnailUrl?: string }>();
    expectTypeOf<Out['file']['limits']>().toEqualTypeOf<{ maxFileBytes: number; quotaBytes: number; usedBytes: number; uploadsPerMinute: number }>();
    // Avatars and account deletion (issue 24, docs/decisions/143, 144): new procedures.
    expectTypeOf<In['user']['setAvatar']>().toEqualTypeOf<{ fileId: string }>();
    expectTypeOf<Out['user']['setAvatar']>().toEqualTypeOf<{ avatar: string }>();
    expectTypeOf<Out['user']['removeAvatar']>().toEqualTypeOf<{ avatar: null }>();
    expectTypeOf<Out['user']['avatarTicket']>().toEqualTypeOf<{ ticket: string; expiresAt: string }>();
    expectTypeOf<In['auth']['deleteAccount']>().toEqualTypeOf<{ password: string }>();
    expectTypeOf<Out['auth']['deleteAccount']>().toEqualTypeOf<null>();
    expectTypeOf<In['chat']['edit']>().toEqualTypeOf<{ messageId: string; text: string }>();
    expectTypeOf<Out['chat']['edit']>().toEqualTypeOf<ChatMessage>();
    // reason: optional, kept in the audit log when a moderator deletes another's message (issue 16).
    expectTypeOf<In['chat']['delete']>().toEqualTypeOf<{ messageId: string; reason?: string | undefined }>();
    expectTypeOf<In['chat']['report']>().toEqualTypeOf<{ messageId: string; reason: string }>();
    expectTypeOf<Out['chat']['report']>().toEqualTypeOf<{ reportId: string }>();
    expectTypeOf<Out['chat']['delete']>().toEqualTypeOf<ChatMessage>();
    expectTypeOf<In['chat']['removePreview']>().toEqualTypeOf<{ messageId: string }>();
    expectTypeOf<Out['chat']['removePreview']>().toEqualTypeOf<ChatMessage>();
    expectTypeOf<In['chat']['react']>().toEqualTypeOf<{ messageId: string; emoji: string; on: boolean }>();
    expectTypeOf<Out['chat']['react']>().toEqualTypeOf<{ messageId: string; reactions: NonNullable<ChatMessage['reactions']> }>();
    expectTypeOf<In['chat']['search']>().toEqualTypeOf<{ query: string; roomId?: string | undefined; before?: string | undefined; limit?: number | undefined }>();
    expectTypeOf<Out['chat']['search']>().toEqualTypeOf<{ results: SearchResult[]; nextBefore: string | null }>();
    expectTypeOf<In['chat']['history']>().toEqualTypeOf<{ roomId?: string | undefined; before?: string | undefined; limit?: number | undefined } | undefined | void>();
    expectTypeOf<Out['chat']['history']>().toEqualTypeOf<{ messages: ChatMessage[]; nextBefore: string | null }>();
    expectTypeOf<Out['auth']['refresh']>().toEqualTypeOf<{ token: string; user: PublicUser }>();
    expectTypeOf<Out['auth']['logout']>().toEqualTypeOf<null>();
    expectTypeOf<In['chat']['typing']>().toEqualTypeOf<{ typing: boolean; roomId?: string | undefined }>();
    // purge: optional (issue 16), deletes their messages as a moderator would.
    expectTypeOf<In['admin']['ban']>().toEqualTypeOf<{ userId: string; reason: string; purge?: boolean | undefined }>();
    expectTypeOf<In['admin']['resolveReport']>().toEqualTypeOf<{ reportId: string; action: 'dismiss' | 'delete' }>();
    expectTypeOf<In['admin']['unban']>().toEqualTypeOf<{ userId: string; reason?: string | undefined }>();
    expectTypeOf<In['admin']['mute']>().toEqualTypeOf<{ userId: string; minutes: number; reason?: string | undefined }>();
    expectTypeOf<In['admin']['setRegistration']>().toEqualTypeOf<{ mode: 'open' | 'invite' | 'closed' }>();
    expectTypeOf<In['admin']['createInvite']>().toEqualTypeOf<{ uses?: number | undefined; expiresInHours?: number | undefined } | undefined | void>();
    expectTypeOf<Out['admin']['createInvite']>().toMatchTypeOf<{ code: string; url: string }>();
    expectTypeOf<In['admin']['auditLog']>().toEqualTypeOf<{ before?: string | undefined; limit?: number | undefined } | undefined | void>();
    expectTypeOf<In['chat']['onMessage']>().toEqualTypeOf<{ lastEventId?: string | null | undefined; roomId?: string | undefined } | undefined | void>();
  });
  it('types the profile and session procedures (issue 25, docs/decisions/155-profiles.md, 156)', () => {
    expectTypeOf<In['user']['updateProfile']>().toEqualTypeOf<{
      displayName?: string | null | undefined;
      status?: { text: string; emoji: string | null; expiresAt: string | null } | null | undefined;
      timeZone?: string | null | undefined;
    }>();
    expectTypeOf<Out['user']['updateProfile']>().toEqualTypeOf<PublicUser>();
    expectTypeOf<In['user']['profile']>().toEqualTypeOf<{ userId: string }>();
    expectTypeOf<Out['user']['profile']>().toEqualTypeOf<{ id: string; username: string; createdAt: string; avatar?: string; displayName?: string; status?: Status; timeZone?: string; online: boolean }>();
    expectTypeOf<Out['auth']['sessions']>().toEqualTypeOf<{ id: string; device: string; createdAt: string; lastUsedAt: string; current: boolean }[]>();
    expectTypeOf<In['auth']['revokeSession']>().toEqualTypeOf<{ sessionId: string }>();
    expectTypeOf<Out['auth']['revokeSession']>().toEqualTypeOf<null>();
  });
  it('types the thread procedures (issue 25, docs/decisions/145-threads.md)', () => {
    expectTypeOf<In['thread']['reply']>().toEqualTypeOf<{ rootId: string; text: string; clientMessageId?: string | undefined; alsoSendToRoom?: boolean | undefined; replyTo?: string | undefined }>();
    expectTypeOf<Out['thread']['reply']>().toEqualTypeOf<RoomMessage>();
    expectTypeOf<In['thread']['history']>().toEqualTypeOf<{ rootId: string; cursor?: string | undefined; limit?: number | undefined }>();
    expectTypeOf<Out['thread']['history']>().toEqualTypeOf<{ root: RoomMessage; replies: (RoomMessage)[]; nextCursor: string | null }>();
    expectTypeOf<In['thread']['follow']>().toEqualTypeOf<{ rootId: string }>();
    expectTypeOf<In['thread']['markRead']>().toEqualTypeOf<{ rootId: string; messageId?: string | undefined }>();
    expectTypeOf<Out['thread']['list'][number]>().toEqualTypeOf<{
      rootId: string;
      roomId: string;
      root: RoomMessage;
      lastReadMessageId: string | null;
      lastReplyId: string | null;
      unread: number;
      mentions: number;
    }>();
  });
});
