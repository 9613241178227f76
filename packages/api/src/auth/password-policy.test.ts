import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORD_MESSAGE, KEYBOARD_PASSWORD_MESSAGE, passwordProblem, REPETITIVE_PASSWORD_MESSAGE, SEQUENTIAL_PASSWORD_MESSAGE, signupInput, USERNAME_IN_PASSWORD_MESSAGE } from './password-policy';

describe('passwordProblem', () => {
  it.each(['password', '12345678', 'qwertyuiop', 'iloveyou1', 'password123', 'PassWord1', 'baseball'])('refuses the common password %s', (password) => {
    expect(passwordProblem(password, 'someone')).toBe(COMMON_PASSWORD_MESSAGE);
  });

  it.each([
    ['the username itself', 'alice_smith', 'alice_smith'],
    ['the username in another case', 'ALICE_smith', 'alice_smith'],
    ['the username inside a longer password', 'my-Alice_Smith-2024!', 'alice_smith'],
  ])('refuses %s', (_, password, username) => {
    expect(passwordProblem(password, username)).toBe(USERNAME_IN_PASSWORD_MESSAGE);
  });

  // Not on the common list, but a run of one pattern covers most of each (password-patterns.ts).
  it.each([
    ['aaaaaaaa', REPETITIVE_PASSWORD_MESSAGE],
    ['abababab', REPETITIVE_PASSWORD_MESSAGE],
    ['🔥🔥🔥🔥🔥🔥🔥🔥', REPETITIVE_PASSWORD_MESSAGE],
    ['abcdefgh', SEQUENTIAL_PASSWORD_MESSAGE],
    ['87654321', SEQUENTIAL_PASSWORD_MESSAGE],
    ['sdfghjkl;', KEYBOARD_PASSWORD_MESSAGE],
  ])('refuses the patterned %s', (password, message) => {
    expect(passwordProblem(password, 'someone')).toBe(message);
  });

  it.each(['correct horse battery', 'pässwörd-ünïcode', '🔥🌊🔥🌊-mountain-tea', 'tr0ub4dor&3-xyzzy'])('accepts the uncommon %s', (password) => {
    expect(passwordProblem(password, 'someone')).toBeNull();
  });

  it('signupInput reports the problem on the password field and keeps the credentials shape', () => {
    const refused = signupInput.safeParse({ username: 'someone', password: 'iloveyou1' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path, i.message])).toEqual([[['password'], COMMON_PASSWORD_MESSAGE]]);
    expect(signupInput.safeParse({ username: 'someone', password: 'zyxwvuts' }).error?.issues.map((i) => [i.path, i.message])).toEqual([[['password'], SEQUENTIAL_PASSWORD_MESSAGE]]);
    expect(signupInput.parse({ username: 'someone', password: 'correct horse battery' })).toEqual({ username: 'someone', password: 'correct horse battery' });
  });
});
