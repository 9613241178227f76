import { usernameSkeleton } from '@chat/db';
import type { z } from 'zod';
import { AVATARS_SCOPE } from '../auth/file-ticket';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import { canonicalEmoji } from '../messages/emoji-set';
import type { updateProfileInput, userProfileInput } from '../schemas/profile.schema';
import type { searchUsersInput, setAvatarInput } from '../schemas/user.schema';
import { type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';
import { displayNameSkeleton, refusalOfDisplayName } from './display-name';

const ACCOUNT_GONE = 'This account no longer exists; sign up again';

export function createUserService(call: CallDeps) {
  const { presence } = call;
  return {
    async search({ query, limit }: z.output<typeof searchUsersInput>): Promise<(PublicUser & { online: boolean })[]> {
      const users = (await call.repos.users.search(query, limit)).map(toPublicUser);
      const online = await presence.onlineAmong(users.map((u) => u.id));
      return users.map((u) => ({ ...u, online: online.has(u.id) }));
    },

    /**
     * Takes the caller's checked avatar upload as their picture (docs/decisions/143-avatars.md): every room
     * showing them hears user.updated, and the previous picture's bytes are erased.
     */
    async setAvatar(userId: string, { fileId }: z.output<typeof setAvatarInput>): Promise<{ avatar: string }> {
      await call.limits.consumeAvatarChange(userId);
      const change = await call.repos.users.changeAvatar({ userId, uploadId: fileId });
      if (change.status !== 'changed') throw new DomainError('NOT_FOUND', 'Upload not found: upload the picture as an avatar (Upload-Metadata purpose avatar) and wait for it to finish');
      publishEvents(call.bus, change.events);
      call.fileErasure.kick();
      return { avatar: fileId };
    },

    /** Back to initials; removing none changes nothing. */
    async removeAvatar(userId: string): Promise<{ avatar: null }> {
      await call.limits.consumeAvatarChange(userId);
      const change = await call.repos.users.changeAvatar({ userId, uploadId: null });
      if (change.status === 'changed') {
        publishEvents(call.bus, change.events);
        call.fileErasure.kick();
      }
      return { avatar: null };
    },

    /** The caller's display name, status and time zone (docs/decisions/155-profiles.md); every room showing them hears user.updated. */
    async updateProfile(userId: string, input: z.output<typeof updateProfileInput>): Promise<PublicUser> {
      await call.limits.consumeAccountWrite(userId);
      const me = await call.repos.users.findRecordById(userId);
      if (!me) throw new DomainError('UNAUTHORIZED', ACCOUNT_GONE);
      let emoji: string | null = null;
      if (input.status?.emoji) {
        emoji = await canonicalEmoji(input.status.emoji);
        if (!emoji) throw new DomainError('BAD_REQUEST', 'Pick one emoji for your status');
      }
      const displayName = input.displayName === '' ? null : input.displayName;
      if (displayName) {
        const refusal = refusalOfDisplayName(displayName, me.username);
        if (refusal) throw refusal;
      }
      const ownSkeleton = displayName ? displayNameSkeleton(displayName) : null;
      const change = await call.repos.users.changeProfile({
        userId,
        ...(displayName !== undefined ? { displayName, displayNameSkeleton: ownSkeleton === usernameSkeleton(me.username) ? null : ownSkeleton } : {}),
        ...(input.status !== undefined ? { status: input.status && { text: input.status.text, emoji, expiresAt: input.status.expiresAt ? new Date(input.status.expiresAt) : null } } : {}),
        ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
      });
      if (change.status === 'not-found') throw new DomainError('UNAUTHORIZED', ACCOUNT_GONE);
      if (change.status === 'look-alike') throw new DomainError('CONFLICT', `The display name "${displayName}" looks like @${change.username}'s username; pick another one`);
      publishEvents(call.bus, change.events);
      return toPublicUser({ ...me, ...change.user });
    },

    /** Someone's profile as shown on their card: a status past its expiry is not shown. */
    async profile({ userId }: z.output<typeof userProfileInput>): Promise<PublicUser & { online: boolean }> {
      const user = await call.repos.users.profile(userId);
      if (!user) throw new DomainError('NOT_FOUND', 'No such user');
      const online = await presence.onlineAmong([user.id]);
      return { ...toPublicUser(user), online: online.has(user.id) };
    },

    /** Whether `version` is `userId`'s avatar now (the avatar endpoint serves nothing else). */
    isCurrentAvatar(userId: string, version: string): Promise<boolean> {
      return call.repos.users.hasAvatar(userId, version);
    },

    /** An hour-long ticket that reads every user's current avatar: add `?ticket=` to avatarPath(...). */
    async avatarTicket(userId: string): Promise<{ ticket: string; expiresAt: string }> {
      const { ticket, expiresAt } = await call.avatarTickets.sign(userId, AVATARS_SCOPE);
      return { ticket, expiresAt: expiresAt.toISOString() };
    },
  };
}
