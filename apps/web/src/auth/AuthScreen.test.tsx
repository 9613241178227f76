// @vitest-environment happy-dom
import { COMMON_PASSWORD_MESSAGE, KEYBOARD_PASSWORD_MESSAGE, REPETITIVE_PASSWORD_MESSAGE, SEQUENTIAL_PASSWORD_MESSAGE, USERNAME_IN_PASSWORD_MESSAGE } from '@chat/api/password-policy';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionProvider } from '../session/SessionContext';
import { SignedOutApp } from '../SignedOutApp';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const signUpForm = () => {
  render(
    <SessionProvider>
      <SignedOutApp />
    </SessionProvider>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));
  const type = (label: string, value: string) => {
    const input = screen.getByLabelText(label, { exact: true });
    fireEvent.change(input, { target: { value } });
    fireEvent.blur(input);
  };
  return { type, submit: () => fireEvent.click(screen.getByRole('button', { name: 'Create account' })) };
};

describe('AuthScreen sign-up password policy', () => {
  it('says a common password is refused before submitting, and sends nothing', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const form = signUpForm();
    form.type('Username', 'newcomer');
    form.type('Password', 'iloveyou1');
    expect(await screen.findByText(COMMON_PASSWORD_MESSAGE)).toBeTruthy();
    form.submit();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it.each([
    ['aaaaaaaa', REPETITIVE_PASSWORD_MESSAGE],
    ['abababab', REPETITIVE_PASSWORD_MESSAGE],
    ['abcdefgh', SEQUENTIAL_PASSWORD_MESSAGE],
    ['87654321', SEQUENTIAL_PASSWORD_MESSAGE],
    ['zxcvbnm,.', KEYBOARD_PASSWORD_MESSAGE],
  ])('says why the patterned %s is refused before submitting, and sends nothing', async (password, message) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const form = signUpForm();
    form.type('Username', 'newcomer');
    form.type('Password', password);
    expect(await screen.findByText(message)).toBeTruthy();
    form.submit();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('says a password containing the username is refused', async () => {
    const form = signUpForm();
    form.type('Username', 'Newcomer');
    form.type('Password', 'newcomer-2024!');
    expect(await screen.findByText(USERNAME_IN_PASSWORD_MESSAGE)).toBeTruthy();
  });

  it('leaves login alone: an existing weak password may still be typed', async () => {
    render(
      <SessionProvider>
        <SignedOutApp />
      </SessionProvider>,
    );
    const input = screen.getByLabelText('Password', { exact: true });
    fireEvent.change(input, { target: { value: 'iloveyou1' } });
    fireEvent.blur(input);
    await import('@chat/api/password-policy');
    expect(screen.queryByText(COMMON_PASSWORD_MESSAGE)).toBeNull();
  });
});
