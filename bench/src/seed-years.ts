// `pnpm --filter @chat/bench seed:years -- --database-url URL [--messages N …]`: migrates an empty
// database and fills it with years of chat (bench/src/years/seed.ts) for `pnpm bench -- --scenario years`.
import { initORM, migrate } from '@chat/db';
import { parseCli } from './cli-args';
import { seedYears, YEARS_DEFAULTS } from './years/seed';

const d = YEARS_DEFAULTS;
const HELP = `Usage: pnpm --filter @chat/bench seed:years -- --database-url URL [options]
  --database-url URL  an empty PostgreSQL database (migrated here); never the one you chat in
  --messages N        (${d.messages}; the issue's size: 10000000)
  --rooms N           channels 40%, private 15%, DMs 45%, besides #everyone (${d.rooms}; 10000)
  --users N           (${d.users}; 100000), all with the bench password; usernames years_0, years_1, …
  --heavy-users N     the first N users are each in --heavy-rooms rooms (${d.heavyUsers}; 100)
  --heavy-rooms N     (${d.heavyRooms}; 200)
  --everyone-share F  share of the messages in #everyone (${d.everyoneShare})
  --days N            the history's span, ending now (${d.days})
e.g. the full size: --messages 10000000 --rooms 10000 --users 100000 --heavy-users 100 --heavy-rooms 200`;

const v = parseCli(
  process.argv.slice(2),
  {
    'database-url': { type: 'string' },
    messages: { type: 'string', default: String(d.messages) },
    rooms: { type: 'string', default: String(d.rooms) },
    users: { type: 'string', default: String(d.users) },
    'heavy-users': { type: 'string', default: String(d.heavyUsers) },
    'heavy-rooms': { type: 'string', default: String(d.heavyRooms) },
    'everyone-share': { type: 'string', default: String(d.everyoneShare) },
    days: { type: 'string', default: String(d.days) },
  },
  HELP,
);
const fail = (message: string): never => {
  console.error(`${message}\n\n${HELP}`);
  process.exit(2);
};
const count = (name: string, s: string, min = 1) => {
  const n = Number(s);
  return Number.isInteger(n) && n >= min ? n : fail(`--${name} must be a whole number ≥ ${min}, got ${s}`);
};
const share = Number(v['everyone-share']);
if (!(share >= 0 && share <= 1)) fail(`--everyone-share must be between 0 and 1, got ${v['everyone-share']}`);
const url = v['database-url'] ?? fail('--database-url is required');
const options = {
  messages: count('messages', v.messages),
  rooms: count('rooms', v.rooms, 2),
  users: count('users', v.users, 2),
  heavyUsers: count('heavy-users', v['heavy-users'], 0),
  heavyRooms: count('heavy-rooms', v['heavy-rooms'], 0),
  everyoneShare: share,
  days: count('days', v.days),
};
const t0 = Date.now();
const log = (line: string) => console.error(`[${Math.round((Date.now() - t0) / 1000)} s] ${line}`);
const orm = await initORM({ clientUrl: url });
try {
  await migrate(orm);
} finally {
  await orm.close();
}
await seedYears(url, options, log);
