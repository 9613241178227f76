import { type Repositories, repositoriesFor } from '@chat/db';
import { createAdminService } from './admin.service';
import { createAuthService } from './auth.service';
import { createChatService } from './chat.service';
import type { ApiDeps, CallDeps } from './deps';
import { createFileService } from './file.service';
import { createLinkPreviewService } from './link-preview.service';
import { createMessageService } from './message.service';
import { createNotificationService } from './notification.service';
import { createPinService } from './pin.service';
import { createPushService } from './push.service';
import { createPresenceService } from './presence.service';
import { createRegistrationService } from './registration.service';
import { createReportService } from './report.service';
import { createRoomService } from './room.service';
import { createSearchService } from './search.service';
import { createThreadService } from './thread.service';
import { createUserService } from './user.service';

/**
 * The services of one procedure call. Each is made on first use, and the EntityManager fork
 * behind them only when a query runs: a subscription, which may live for hours, holds neither
 * a fork nor services it never calls.
 */
export function createServices(deps: ApiDeps) {
  let repos: Repositories | undefined;
  const call: CallDeps = Object.create(deps, {
    repos: { get: () => (repos ??= repositoriesFor(deps.orm.em.fork())) },
  }) as CallDeps;
  const once = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const auth = once(() => createAuthService(call));
  const users = once(() => createUserService(call));
  const chat = once(() => createChatService(call));
  const presence = once(() => createPresenceService(call));
  const rooms = once(() => createRoomService(call));
  const messages = once(() => createMessageService(call));
  const search = once(() => createSearchService(call));
  const admin = once(() => createAdminService(call));
  const registration = once(() => createRegistrationService(call));
  const reports = once(() => createReportService(call));
  const files = once(() => createFileService(call));
  const previews = once(() => createLinkPreviewService(call));
  const push = once(() => createPushService(call));
  const notifications = once(() => createNotificationService(call));
  const threads = once(() => createThreadService(call));
  const pins = once(() => createPinService(call));
  return {
    get auth() {
      return auth();
    },
    get users() {
      return users();
    },
    get chat() {
      return chat();
    },
    get presence() {
      return presence();
    },
    get rooms() {
      return rooms();
    },
    get messages() {
      return messages();
    },
    get search() {
      return search();
    },
    get admin() {
      return admin();
    },
    get reports() {
      return reports();
    },
    get registration() {
      return registration();
    },
    get files() {
      return files();
    },
    get previews() {
      return previews();
    },
    get push() {
      return push();
    },
    get notifications() {
      return notifications();
    },
    get threads() {
      return threads();
    },
    get pins() {
      return pins();
    },
  };
}
export type Services = ReturnType<typeof createServices>;
