import { checkVapidKeys, generateVapidKeys, type VapidKeys, type WebPushOptions } from '@chat/api';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Env } from './env';

/**
 * Development only, like the JWT secret: a VAPID key pair made once and kept in the data folder, so
 * browsers' subscriptions (bound to the public key) survive restarts.
 */
export async function localVapidKeys(dataDir: string): Promise<VapidKeys> {
  const file = join(dataDir, 'vapid-keys.json');
  if (!existsSync(file)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(generateVapidKeys()), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  const keys = JSON.parse(await readFile(file, 'utf8')) as VapidKeys;
  checkVapidKeys(keys);
  return keys;
}

/**
 * Web Push as the environment sets it: the configured keys; else, outside production, the generated
 * ones; else off (production without keys: every instance must share one pair, so none is made up).
 */
export async function webPushFromEnv(env: Env): Promise<{ options: WebPushOptions | null; why: string | null }> {
  if (env.WEB_PUSH === 'off') return { options: null, why: 'WEB_PUSH=off' };
  let vapid: VapidKeys;
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) {
    vapid = { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY };
    checkVapidKeys(vapid);
  } else if (env.NODE_ENV === 'production') {
    return { options: null, why: 'no VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY (generate a pair with `pnpm --filter @chat/server vapid-keys`)' };
  } else vapid = await localVapidKeys(env.DATA_DIR);
  return { options: { vapid, subject: env.VAPID_SUBJECT }, why: null };
}
