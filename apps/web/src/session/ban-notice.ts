import { z } from 'zod';

/**
 * That this browser's account was banned, kept until someone logs in here again: a reload, or an
 * invite link opened later, shows the ban rather than a sign-up form as if the person were new.
 */
const storedBan = z.object({ username: z.string().max(64), reason: z.string().max(1000).nullable() });
export type BanNotice = z.infer<typeof storedBan>;

export const BAN_KEY = 'chat.banned.v1';

export function loadBan(storage: Pick<Storage, 'getItem'>): BanNotice | null {
  try {
    const parsed = storedBan.safeParse(JSON.parse(storage.getItem(BAN_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const saveBan = (storage: Pick<Storage, 'setItem'>, ban: BanNotice) => storage.setItem(BAN_KEY, JSON.stringify(ban));
export const clearBan = (storage: Pick<Storage, 'removeItem'>) => storage.removeItem(BAN_KEY);
