import { repositoriesFor } from '@chat/db';
import { createAuthService } from './auth.service';
import { createChatService } from './chat.service';
import type { ApiDeps } from './deps';
import { createPresenceService } from './presence.service';
import { createUserService } from './user.service';

/** The services of one procedure call, on a fresh EntityManager fork. */
export function createServices(deps: ApiDeps) {
  const call = { ...deps, repos: repositoriesFor(deps.orm.em.fork()) };
  return {
    auth: createAuthService(call),
    users: createUserService(call),
    chat: createChatService(call),
    presence: createPresenceService(call),
  };
}
export type Services = ReturnType<typeof createServices>;
