import { type DiceSpec, parseDice } from './dice';

export type Command =
  | { kind: 'help' }
  | { kind: 'who'; name: string }
  | { kind: 'roll'; spec: DiceSpec }
  | { kind: 'mention' }
  | { kind: 'usage'; command: string; reason: string };

const NAME = /^@?([A-Za-z0-9_.-]{1,32})$/;

/**
 * What a chat message asks of the bot, or null when it asks nothing. Unknown slash commands are
 * ignored rather than answered: other bots in the same room may own them.
 */
export function parseCommand(text: string, botUsername: string): Command | null {
  const trimmed = text.trim();
  const slash = /^\/([a-z]+)(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (slash) {
    const name = slash[1]!.toLowerCase();
    const arg = slash[2]?.trim() ?? '';
    switch (name) {
      case 'help':
        return { kind: 'help' };
      case 'who': {
        const match = NAME.exec(arg);
        return match ? { kind: 'who', name: match[1]! } : { kind: 'usage', command: 'who', reason: 'Use /who <name>, e.g. /who alice' };
      }
      case 'roll': {
        const dice = parseDice(arg);
        return dice.ok ? { kind: 'roll', spec: dice.spec } : { kind: 'usage', command: 'roll', reason: dice.reason };
      }
    }
  }
  return mentions(trimmed, botUsername) ? { kind: 'mention' } : null;
}

/** "@helper-bot" as a word: not "@helper-bot2", nor "x@helper-bot"; a full stop after it is fine. */
export function mentions(text: string, username: string): boolean {
  const escaped = username.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.@-])@${escaped}(?![A-Za-z0-9_-])(?!\\.[A-Za-z0-9_-])`, 'i').test(text);
}
