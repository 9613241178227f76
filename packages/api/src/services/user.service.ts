import type { z } from 'zod';
import { AVATARS_SCOPE } from '../auth/file-ticket';
import { DomainError } from '../errors';
import { publishEvents } from '../events/publish';
import type { searchUsersInput, setAvatarInput } from '../schemas/user.schema';
import { type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';

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
