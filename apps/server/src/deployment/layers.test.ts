import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../repo-root';

// `pnpm lint` runs depcruise with .dependency-cruiser.cjs (docs/decisions/127-layers.md). These
// tests run the same rule set through depcruise's API: on the repository (no violation today) and
// on small trees laid out like it, each holding one violation the rules must reject.

let options: ICruiseOptions;
let scratch: string;
let tree = 0;

beforeAll(async () => {
  options = await extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.cjs'));
  scratch = mkdtempSync(join(tmpdir(), 'layers-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function cruiseIn(baseDir: string, roots: string[]) {
  const { output } = await cruise(roots, { ...options, baseDir });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

/** Writes the files (repository-relative paths) into a fresh directory and returns the violations there. */
async function violationsOf(files: Record<string, string>) {
  const baseDir = join(scratch, String(tree++));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(baseDir, path)), { recursive: true });
    writeFileSync(join(baseDir, path), text);
  }
  return cruiseIn(baseDir, [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))]);
}

describe('the layer rules (pnpm lint)', () => {
  it('find no violation in the repository', async () => {
    expect(await cruiseIn(repoRoot, ['apps', 'packages', 'bench'])).toEqual([]);
  }, 60_000);

  it('reject a cycle, type-only imports included', async () => {
    const found = await violationsOf({
      'packages/api/src/room-shapes.ts': "import type { ChatMessage } from './shapes';\nexport type Room = { last: ChatMessage };\n",
      'packages/api/src/shapes.ts': "import type { Room } from './room-shapes';\nexport type ChatMessage = { room: Room };\n",
    });
    expect(found).toContain('no-circular: packages/api/src/room-shapes.ts -> packages/api/src/shapes.ts');
  });

  it('reject two folders of apps/web/src that use each other, directly or round a loop, files acyclic', async () => {
    const found = await violationsOf({
      'apps/web/src/rooms/RoomView.ts': "import { messageList } from '../messages/message-list';\nexport const roomView = () => messageList;\n",
      'apps/web/src/rooms/room-types.ts': 'export type Room = { id: string };\n',
      'apps/web/src/messages/message-list.ts': "import { typing } from '../people/typing';\nexport const messageList = typing;\n",
      'apps/web/src/people/typing.ts': "import type { Room } from '../rooms/room-types';\nexport const typing = (room: Room) => room.id;\n",
    });
    expect(found.filter((v) => !v.startsWith('web-no-circular-folders: '))).toEqual([]);
    expect(found).toContain('web-no-circular-folders: apps/web/src/people -> apps/web/src/rooms');
    const layered = await violationsOf({
      'apps/web/src/rooms/RoomView.ts': "import { messageList } from '../messages/message-list';\nexport const roomView = () => messageList;\n",
      'apps/web/src/messages/message-list.ts': "import { typing } from '../people/typing';\nexport const messageList = typing;\n",
      'apps/web/src/people/typing.ts': "import type { Room } from '../api/room-types';\nexport const typing = (room: Room) => room.id;\n",
      'apps/web/src/api/room-types.ts': 'export type Room = { id: string };\n',
    });
    expect(layered).toEqual([]);
  });

  it("allow a db entity and its repository to name each other, the way back type-only (MikroORM's defineEntity), but not a runtime cycle", async () => {
    const allowed = await violationsOf({
      'packages/db/src/entities/invite.entity.ts': "import { InviteRepository } from '../repositories/invite.repository';\nexport const Invite = { repository: () => InviteRepository };\n",
      'packages/db/src/repositories/invite.repository.ts': "import type { Invite } from '../entities/invite.entity';\nexport class InviteRepository { declare entity: typeof Invite; }\n",
    });
    expect(allowed).toEqual([]);
    const runtime = await violationsOf({
      'packages/db/src/entities/invite.entity.ts': "import { InviteRepository } from '../repositories/invite.repository';\nexport const Invite = { repository: () => InviteRepository };\n",
      'packages/db/src/repositories/invite.repository.ts': "import { Invite } from '../entities/invite.entity';\nexport class InviteRepository { entity = Invite; }\n",
    });
    expect(runtime.some((v) => v.startsWith('no-circular-db-runtime: '))).toBe(true);
  });

  it('reject a service, a mechanism or a shape that imports a layer above it', async () => {
    const found = await violationsOf({
      'packages/api/src/context.ts': 'export interface Context { ip: string }\n',
      'packages/api/src/services/chat.service.ts': "import type { Context } from '../context';\nexport const ip = (c: Context) => c.ip;\n",
      'packages/api/src/events/event-stream.ts': "import { ip } from '../services/chat.service';\nexport { ip };\n",
      'packages/api/src/room-shapes.ts': "import type { Presence } from './presence/presence';\nexport type Snapshot = Presence[];\n",
      'packages/api/src/presence/presence.ts': 'export interface Presence { id: string }\n',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'api-services-below-the-frame: packages/api/src/services/chat.service.ts -> packages/api/src/context.ts',
        'api-mechanisms-below-services: packages/api/src/events/event-stream.ts -> packages/api/src/services/chat.service.ts',
        'api-shapes-are-the-bottom: packages/api/src/room-shapes.ts -> packages/api/src/presence/presence.ts',
      ]),
    );
  });

  it('reject a router that imports a service or a repository instead of going through ctx.services', async () => {
    const found = await violationsOf({
      'packages/api/src/routers/user.router.ts': "import { search } from '../services/user.service';\nimport { users } from '../../../db/src/index';\nexport const userRouter = { search, users };\n",
      'packages/api/src/services/user.service.ts': 'export const search = () => [];\n',
      'packages/db/src/index.ts': 'export const users = {};\n',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'api-routers-are-thin: packages/api/src/routers/user.router.ts -> packages/api/src/services/user.service.ts',
        'api-routers-are-thin: packages/api/src/routers/user.router.ts -> packages/db/src/index.ts',
      ]),
    );
  });

  it('reject packages/db importing the api and packages/api importing an app', async () => {
    const found = await violationsOf({
      'packages/db/src/records.ts': "import type { ChatMessage } from '../../api/src/shapes';\nexport type Row = ChatMessage;\n",
      'packages/api/src/shapes.ts': "import { LIMITS } from '../../../apps/server/src/index';\nexport type ChatMessage = { text: string };\nexport { LIMITS };\n",
      'apps/server/src/index.ts': 'export const LIMITS = {};\n',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'db-imports-nothing-of-ours: packages/db/src/records.ts -> packages/api/src/shapes.ts',
        'api-imports-no-app-or-client: packages/api/src/shapes.ts -> apps/server/src/index.ts',
      ]),
    );
  });

  it('reject packages/files importing the db or the api', async () => {
    const found = await violationsOf({
      'packages/files/src/storage.ts': "import type { Row } from '../../db/src/records';\nimport type { ChatMessage } from '../../api/src/shapes';\nexport type Both = [Row, ChatMessage];\n",
      'packages/db/src/records.ts': 'export type Row = { id: string };\n',
      'packages/api/src/shapes.ts': 'export type ChatMessage = { text: string };\n',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'files-imports-nothing-of-ours: packages/files/src/storage.ts -> packages/db/src/records.ts',
        'files-imports-nothing-of-ours: packages/files/src/storage.ts -> packages/api/src/shapes.ts',
      ]),
    );
  });

  it("let the browser code take @chat/api's types and schemas but not its runtime, its internals or the db", async () => {
    const api = {
      'packages/api/src/index.ts': "export type AppRouter = { ok: true };\nexport const appRouter = {};\n",
      'packages/api/src/schemas/index.ts': 'export const MESSAGE_MAX = 4000;\n',
      'packages/api/src/services/deps.ts': 'export const createApiDeps = () => ({});\n',
      'packages/db/src/index.ts': 'export const repositoriesFor = () => ({});\n',
    };
    const allowed = await violationsOf({
      ...api,
      'apps/web/src/api/trpc.ts': "import type { AppRouter } from '../../../../packages/api/src/index';\nimport { MESSAGE_MAX } from '../../../../packages/api/src/schemas/index';\nexport type R = AppRouter;\nexport const max = MESSAGE_MAX;\n",
    });
    expect(allowed).toEqual([]);
    const found = await violationsOf({
      ...api,
      'apps/web/src/api/trpc.ts': "import { appRouter } from '../../../../packages/api/src/index';\nexport const r = appRouter;\n",
      'packages/client/src/core/room-state.ts': "import type { createApiDeps } from '../../../api/src/services/deps';\nimport { repositoriesFor } from '../../../db/src/index';\nexport type D = typeof createApiDeps;\nexport const r = repositoriesFor;\n",
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'browser-code-api-types-only: apps/web/src/api/trpc.ts -> packages/api/src/index.ts',
        'browser-code-no-server-code: packages/client/src/core/room-state.ts -> packages/api/src/services/deps.ts',
        'browser-code-no-server-code: packages/client/src/core/room-state.ts -> packages/db/src/index.ts',
      ]),
    );
  });

  it('reject a schema the browser runs that pulls in the db', async () => {
    const found = await violationsOf({
      'packages/api/src/schemas/chat.schema.ts': "import { MESSAGE_MAX } from '../../../db/src/limits';\nexport const max = MESSAGE_MAX;\n",
      'packages/db/src/limits.ts': 'export const MESSAGE_MAX = 4000;\n',
    });
    expect(found).toEqual(['browser-shared-api-modules-no-db: packages/api/src/schemas/chat.schema.ts -> packages/db/src/limits.ts']);
  });

  it('reject an import of the server transport from anywhere but the composition root', async () => {
    const found = await violationsOf({
      'apps/server/src/transport/readiness.ts': 'export const serveReadiness = () => {};\n',
      'apps/server/src/transport/readiness.test.ts': "import { serveReadiness } from './readiness';\nserveReadiness();\n",
      'apps/server/src/main.ts': "import { serveReadiness } from './transport/readiness';\nserveReadiness();\n",
      'apps/server/src/testing/testing.ts': "import { serveReadiness } from '../transport/readiness';\nexport { serveReadiness };\n",
      'apps/server/src/observability/observability.ts': "import { serveReadiness } from '../transport/readiness';\nexport { serveReadiness };\n",
    });
    expect(found).toEqual(['transport-only-from-composition-root: apps/server/src/observability/observability.ts -> apps/server/src/transport/readiness.ts']);
  });
});
