import type { PublicUser } from '@chat/client';
import type { Command } from './commands';
import { DICE_LIMITS, rollDice } from './dice';

export interface ReplyContext {
  /** Who sent the message being answered. */
  author: string;
  botUsername: string;
  searchUsers(query: string): Promise<PublicUser[]>;
  random?: () => number;
}

export const HELP_TEXT = [
  'Commands:',
  '/help — this list',
  '/who <name> — look someone up',
  `/roll NdM — roll N dice with M sides (N ${DICE_LIMITS.minCount}–${DICE_LIMITS.maxCount}, M ${DICE_LIMITS.minSides}–${DICE_LIMITS.maxSides})`,
].join('\n');

/** The reaction the bot leaves on a message it answers: a wave for a greeting, a tick for a command. */
export const reactionFor = (command: Command): string => (command.kind === 'mention' ? '👋' : '✅');

// Replies name people without "@": a reply that mentioned another bot could start a bot-to-bot loop.
export async function replyTo(command: Command, ctx: ReplyContext): Promise<string> {
  switch (command.kind) {
    case 'help':
      return HELP_TEXT;
    case 'mention':
      return `Hi ${ctx.author}! I'm ${ctx.botUsername}; type /help to see what I can do.`;
    case 'usage':
      return `${ctx.author}: ${command.reason}`;
    case 'roll': {
      const rolls = rollDice(command.spec, ctx.random);
      const total = rolls.reduce((sum, r) => sum + r, 0);
      const dice = `${command.spec.count}d${command.spec.sides}`;
      return rolls.length === 1 ? `${ctx.author} rolled ${dice}: ${total}` : `${ctx.author} rolled ${dice}: ${rolls.join(' + ')} = ${total}`;
    }
    case 'who':
      return describeUser(command.name, await ctx.searchUsers(command.name));
  }
}

function describeUser(name: string, found: PublicUser[]): string {
  const exact = found.find((u) => u.username.toLowerCase() === name.toLowerCase());
  if (exact) return `${exact.username} has been here since ${exact.createdAt.slice(0, 10)}.`;
  if (found.length === 0) return `Nobody here is called ${name}.`;
  return `Nobody here is called ${name}. Did you mean: ${found.map((u) => u.username).join(', ')}?`;
}
