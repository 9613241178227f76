import { initORM, LockHoldsBusyError, repositoriesFor } from '@chat/db';
import { useMigratedDatabase } from '@chat/db/test-database';
import { startTcpProxy } from '@chat/db/tcp-proxy';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './errors';

// Real failures from the real driver stack (pg under knex under MikroORM), not imitations of them.
const database = useMigratedDatabase({ poolMax: 2 });

const failureOf = (work: Promise<unknown>) => work.then(() => expect.fail('expected a failure'), (error: unknown) => error);

describe('isDatabaseUnavailable', () => {
  it('recognises a server that refuses connections', async () => {
    const url = new URL(database.url);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const viaProxy = await initORM({ clientUrl: url.toString(), poolMax: 1 });
    try {
      await viaProxy.em.fork().execute('select 1');
      proxy.cut();
      // The pooled connection is gone and new ones are hung up on: what a stopped server looks like.
      const error = await failureOf(viaProxy.em.fork().execute('select 1'));
      expect(isDatabaseUnavailable(error)).toBe(true);
      const next = await failureOf(repositoriesFor(viaProxy.em.fork()).messages.maxId());
      expect(isDatabaseUnavailable(next)).toBe(true);
    } finally {
      await proxy.close();
      await viaProxy.close();
    }
  });

  it('recognises locked writes refused before they could wait (a stuck hold, a full queue)', () => {
    expect(isDatabaseUnavailable(new LockHoldsBusyError('the one in flight is stuck'))).toBe(true);
  });

  it('does not mistake a bad query or a refusal for an outage', async () => {
    expect(isDatabaseUnavailable(await failureOf(database.orm.em.fork().execute('select from nowhere')))).toBe(false);
    expect(isDatabaseUnavailable(await failureOf(database.orm.em.fork().execute('select 1/0')))).toBe(false);
    expect(isDatabaseUnavailable(new DomainError('CONFLICT', 'taken'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  // Last: the pool's other connection may still be the terminated one.
  it('recognises a connection the server terminated (57P01, as at shutdown)', async () => {
    const error = await failureOf(database.orm.em.fork().execute('select pg_terminate_backend(pg_backend_pid())'));
    expect((error as { code?: string }).code).toBe('57P01');
    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});
