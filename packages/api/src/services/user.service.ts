import type { z } from 'zod';
import type { searchUsersInput } from '../schemas/user.schema';
import { type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';

export function createUserService({ repos, presence }: CallDeps) {
  return {
    async search({ query, limit }: z.output<typeof searchUsersInput>): Promise<(PublicUser & { online: boolean })[]> {
      const users = (await repos.users.search(query, limit)).map(toPublicUser);
      const online = await presence.onlineAmong(users.map((u) => u.id));
      return users.map((u) => ({ ...u, online: online.has(u.id) }));
    },
  };
}
