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

const moderatorSchema = z.object({
  /** A JavaScript regular expression, matched case-insensitively against each message's text. */
  MODERATOR_RULE: z
    .string({ error: 'MODERATOR_RULE is required: a regular expression; messages that match it are removed' })
    .min(1, 'MODERATOR_RULE is required: a regular expression; messages that match it are removed')
    .transform((source, ctx) => {
      try {
        return new RegExp(source, 'iu');
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `MODERATOR_RULE is not a regular expression: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
  MODERATOR_REASON: z.string().trim().min(1).max(500).default('Matched the moderator bot’s rule'),
});

export type ModeratorEnv = Env & z.output<typeof moderatorSchema>;

/** The moderator bot's environment: the helper bot's, plus its rule and the reason it gives. */
export function loadModeratorEnv(source: NodeJS.ProcessEnv = process.env): ModeratorEnv {
  const parsed = envSchema.extend({ BOT_USERNAME: envSchema.shape.BOT_USERNAME.unwrap().default('moderator-bot'), ...moderatorSchema.shape }).safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
