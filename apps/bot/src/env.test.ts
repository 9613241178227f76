import { expect, it } from 'vitest';
import { loadEnv } from './env';

it('defaults the URL and name, and needs only a password', () => {
  expect(loadEnv({ BOT_PASSWORD: 'long enough' })).toEqual({ CHAT_URL: 'http://localhost:8080', BOT_USERNAME: 'helper-bot', BOT_PASSWORD: 'long enough' });
});

it('explains what is missing or wrong', () => {
  expect(() => loadEnv({})).toThrow(/BOT_PASSWORD is required/);
  expect(() => loadEnv({ BOT_PASSWORD: 'long enough', CHAT_URL: 'ws://x' })).toThrow(/CHAT_URL/);
  expect(() => loadEnv({ BOT_PASSWORD: 'long enough', BOT_USERNAME: 'no spaces' })).toThrow(/BOT_USERNAME/);
});
