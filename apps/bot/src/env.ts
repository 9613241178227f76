import { z } from 'zod';

// The only reader of process.env in the bot.

const envSchema = z.object({
  CHAT_URL: z
    .string()
    .regex(/^https?:\/\//, 'CHAT_URL must be the server’s http(s) address, e.g. http://localhost:8080')
    .default('http://localhost:8080'),
  BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'BOT_USERNAME must be 3–32 letters, digits, "_", "." or "-"')
    .default('helper-bot'),
  BOT_PASSWORD: z
    .string({ error: 'BOT_PASSWORD is required: the bot signs up with it on first run and logs in with it after' })
    .min(8, 'BOT_PASSWORD must be at least 8 characters')
    .max(128, 'BOT_PASSWORD must be at most 128 characters'),
});

export type Env = z.output<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
