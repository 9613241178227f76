import type { z } from 'zod';
import type { searchUsersInput } from '../schemas/user.schema';
import { type PublicUser, toPublicUser } from '../shapes';
import type { CallDeps } from './deps';

export function createUserService({ repos }: CallDeps) {
  return {
    async search({ query, limit }: z.output<typeof searchUsersInput>): Promise<PublicUser[]> {
      return (await repos.users.search(query, limit)).map(toPublicUser);
    },
  };
}
