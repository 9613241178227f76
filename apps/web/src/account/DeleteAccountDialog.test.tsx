// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testProviders } from '../api/test-providers';
import { SessionProvider } from '../session/SessionContext';
import { DELETE_ACCOUNT_CONSEQUENCES, DeleteAccountDialog } from './DeleteAccountDialog';

const Providers = testProviders();

beforeAll(() => {
  // happy-dom has no modal dialogs.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
});
afterEach(cleanup);

describe('DeleteAccountDialog', () => {
  it('names what deleting does before asking for the password, and asks for it', () => {
    render(
      <SessionProvider>
        <Providers>
          <DeleteAccountDialog onClose={() => undefined} />
        </Providers>
      </SessionProvider>,
    );
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toBe(DELETE_ACCOUNT_CONSEQUENCES);
    for (const said of ['Every message you sent is deleted for everyone', 'every file you shared', 'logged out', 'cannot be undone']) expect(DELETE_ACCOUNT_CONSEQUENCES).toContain(said);
    fireEvent.click(screen.getByRole('button', { name: 'Delete my account and messages', hidden: true }));
    expect(screen.getByRole('alert', { hidden: true }).textContent).toBe('Enter your password.');
  });
});
