// The layer rules `pnpm lint` checks (docs/decisions/127-layers.md says why each exists).
// Paths are repository-relative: a workspace import (`@chat/api`) is resolved to the file it names.

// packages/api/src, bottom to top; a layer may import its own and lower layers only.
const API = '^packages/api/src/';
// The wire shapes, and what a client may run: the zod schemas and ids the web validates with, the wire
// constants, and the password rules (auth/password-*.ts, e.g. password-policy.ts; auth/password.ts is the hasher).
const BROWSER_SHARED = `${API}(schemas/|protocol\\.ts$|auth/password-[^/]+\\.ts$)`;
const SHAPES = `${API}(shapes\\.ts|room-shapes\\.ts|admin-shapes\\.ts|schemas/|protocol\\.ts|errors\\.ts|database-unavailable\\.ts|auth/password-[^/]+\\.ts)`;
// What services stand on: the event pipeline, the bus, presence, the security controls, auth, message text, link previews, web push.
const MECHANISMS = `${API}(events|bus|presence|security|auth|messages|previews|push)/`;
const SERVICES = `${API}services/`;
// The procedure frame: the per-call context and the procedures built on it.
const FRAME = `${API}(context|trpc)\\.ts$`;
const ROUTERS = `${API}routers/`;
const FACE = `${API}(root|index)\\.ts$`;

const above = (...layers) => ({ path: layers });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Files that import each other (type-only imports count: a type cycle is a tangle all the same). Tests are checked too: ' +
        'nothing imports a test, so a cycle through one means a test is imported by code.',
      from: { path: '^(apps|packages|bench)/', pathNot: '^packages/db/src/(entities|repositories)/' },
      to: { circular: true },
    },
    {
      name: 'web-no-circular-folders',
      severity: 'error',
      comment:
        "apps/web/src is laid out by feature (shell, rooms, messages, composer, people, ...; docs/decisions/131-web-by-feature.md): a folder may " +
        'use another, but no two folders may reach each other, directly or round a loop, so each can be read and moved as a unit.',
      scope: 'folder',
      from: { path: '^apps/web/src/[^/]+' },
      to: { circular: true },
    },
    {
      name: 'no-circular-db-runtime',
      severity: 'error',
      comment:
        "MikroORM's defineEntity names its repository (`repository: () => XRepository`) and the repository is an " +
        '`EntityRepository<X>`: that pair points both ways by design, the way back type-only. No cycle of runtime imports.',
      from: { path: '^packages/db/src/(entities|repositories)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'db-imports-nothing-of-ours',
      severity: 'error',
      comment: 'packages/db is the bottom of the stack: repositories and entities, no API, client or app code.',
      from: { path: '^packages/db/' },
      to: { path: '^(apps|bench)/|^packages/(?!db/)' },
    },
    {
      name: 'files-imports-nothing-of-ours',
      severity: 'error',
      comment:
        'packages/files (storage, the tus store, content processing) is a library of mechanisms: no API, db, client or app ' +
        'code, so the server, the bench and tests can use it without the rest (docs/decisions/136-files-storage-and-processing.md).',
      from: { path: '^packages/files/' },
      to: { path: '^(apps|bench)/|^packages/(?!files/)' },
    },
    {
      name: 'api-imports-no-app-or-client',
      severity: 'error',
      comment: 'packages/api is a library the server wires; it imports @chat/db and nothing else of ours.',
      from: { path: '^packages/api/' },
      to: { path: '^(apps|bench)/|^packages/(?!api/|db/)' },
    },
    {
      name: 'browser-code-no-server-code',
      severity: 'error',
      comment:
        'The web and the client core run in the browser: no @chat/db, no server app, and of @chat/api only what a client ' +
        'may run (@chat/api/schemas, @chat/api/password-policy) plus `import type` through its face (AppRouter and the shapes).',
      from: { path: ['^apps/web/src/', '^packages/client/src/core/'] },
      to: { path: ['^packages/db/', '^apps/(server|bot)/', '^bench/', `${API}(?!index\\.ts$|schemas/|auth/password-policy\\.ts$)`] },
    },
    {
      name: 'browser-code-api-types-only',
      severity: 'error',
      comment: "@chat/api's face holds the server (router, services, deps): the browser may only `import type` from it.",
      from: { path: ['^apps/web/src/', '^packages/client/src/core/'] },
      to: { path: `${API}index\\.ts$`, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-shared-api-modules-no-db',
      severity: 'error',
      comment: 'What the browser takes from @chat/api (schemas, wire constants, the password policy) must not pull the db in.',
      from: { path: BROWSER_SHARED },
      to: { path: '^packages/db/' },
    },
    {
      name: 'transport-only-from-composition-root',
      severity: 'error',
      comment:
        'apps/server/src/transport (sockets, tRPC wire internals) is wired by main.ts and by testing/ (which starts instances ' +
        'the way main.ts does); index.ts is the package face. Everything else goes through those.',
      from: { path: '^apps/', pathNot: '^apps/server/src/(transport/|main\\.ts$|index\\.ts$|testing/)' },
      to: { path: '^apps/server/src/transport/' },
    },
    {
      name: 'api-shapes-are-the-bottom',
      severity: 'error',
      comment: 'Shapes, schemas, ids, errors and wire constants import nothing of the API above them (the web runs the schemas).',
      from: { path: SHAPES },
      to: { path: API, pathNot: SHAPES },
    },
    {
      name: 'api-mechanisms-below-services',
      severity: 'error',
      comment: 'events, bus, presence, security, auth and messages serve the services; they never reach up into them or the frame.',
      from: { path: MECHANISMS },
      to: above(SERVICES, FRAME, ROUTERS, FACE),
    },
    {
      name: 'api-services-below-the-frame',
      severity: 'error',
      comment: 'Services speak the domain and know nothing of tRPC, the per-call Context or the routers.',
      from: { path: SERVICES },
      to: above(FRAME, ROUTERS, FACE),
    },
    {
      name: 'api-frame-below-routers',
      severity: 'error',
      comment: 'context.ts and trpc.ts build the procedures; the routers compose them, not the other way.',
      from: { path: FRAME },
      to: above(ROUTERS, FACE),
    },
    {
      name: 'api-routers-are-thin',
      severity: 'error',
      comment:
        'A router is a record of procedures: it reaches services through ctx.services and repositories through the services ' +
        '(docs/decisions/001), so it imports only the procedures (trpc.ts), schemas and shapes.',
      from: { path: ROUTERS },
      to: { path: [SERVICES, MECHANISMS, `${API}context\\.ts$`, FACE, '^packages/db/'], pathNot: SHAPES },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)dist/', '^bench/results/', '(^|/)test-results/'] },
    // Count `import type` too (marked type-only), so a type cycle shows and the browser rules can tell types from code.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
