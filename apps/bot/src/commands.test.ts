import { describe, expect, it } from 'vitest';
import { mentions, parseCommand } from './commands';

const bot = 'helper-bot';

describe('parseCommand', () => {
  it('reads /help, /who and /roll', () => {
    expect(parseCommand('/help', bot)).toEqual({ kind: 'help' });
    expect(parseCommand('  /HELP  ', bot)).toEqual({ kind: 'help' });
    expect(parseCommand('/who alice', bot)).toEqual({ kind: 'who', name: 'alice' });
    expect(parseCommand('/who @bob.smith', bot)).toEqual({ kind: 'who', name: 'bob.smith' });
    expect(parseCommand('/roll 2d6', bot)).toEqual({ kind: 'roll', spec: { count: 2, sides: 6 } });
  });

  it('answers a malformed command with its usage', () => {
    expect(parseCommand('/who', bot)).toMatchObject({ kind: 'usage', command: 'who' });
    expect(parseCommand('/who two names', bot)).toMatchObject({ kind: 'usage', command: 'who' });
    expect(parseCommand('/roll', bot)).toMatchObject({ kind: 'usage', command: 'roll' });
    expect(parseCommand('/roll 1000d6', bot)).toMatchObject({ kind: 'usage', command: 'roll' });
  });

  it('ignores plain chat and commands it does not know', () => {
    expect(parseCommand('hello everyone', bot)).toBeNull();
    expect(parseCommand('/weather paris', bot)).toBeNull();
    expect(parseCommand('use /help to see commands', bot)).toBeNull();
  });

  it('notices a mention', () => {
    expect(parseCommand('hey @helper-bot, you there?', bot)).toEqual({ kind: 'mention' });
  });
});

describe('mentions', () => {
  it('matches @name as a whole word, in any case', () => {
    expect(mentions('@helper-bot', bot)).toBe(true);
    expect(mentions('thanks @Helper-Bot.', bot)).toBe(true);
    expect(mentions('(@helper-bot)', bot)).toBe(true);
  });

  it('does not match a longer name or an e-mail address', () => {
    expect(mentions('@helper-bot2', bot)).toBe(false);
    expect(mentions('@helper-bot.v2', bot)).toBe(false);
    expect(mentions('mail me@helper-bot', bot)).toBe(false);
    expect(mentions('helper-bot', bot)).toBe(false);
  });

  it('treats regex characters in the name literally', () => {
    expect(mentions('@a.b', 'a.b')).toBe(true);
    expect(mentions('@axb', 'a.b')).toBe(false);
  });
});
