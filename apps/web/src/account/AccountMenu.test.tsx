// @vitest-environment happy-dom
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnonymousClients } from '../api/session-clients';
import { trpc } from '../api/trpc';
import { AccountMenu } from './AccountMenu';
import { roleChanged } from './role-changed';

afterEach(cleanup);

const notifications = { choice: 'off', permission: 'unsupported', allowed: false, turnOn: async () => {}, turnOff: () => {} } as const;

/** The menu as the signed-in app renders it, with the hooks' utils handed out so a test can push events as the stream does. */
function renderMenu() {
  const clients = createAnonymousClients();
  // The role the page read at load (the menu reads it again on opening; no server answers here, so the cache stays).
  clients.queryClient.setQueryData([['auth', 'role'], { type: 'query' }], { role: 'member' });
  let utils: ReturnType<typeof trpc.useUtils> | null = null;
  function Capture({ children }: { children: ReactNode }) {
    utils = trpc.useUtils();
    return children;
  }
  render(
    <trpc.Provider client={clients.trpcClient} queryClient={clients.queryClient}>
      <QueryClientProvider client={clients.queryClient}>
        <Capture>
          <AccountMenu username="ann" onLogout={() => {}} onLogoutEverywhere={async () => {}} notifications={notifications} />
        </Capture>
      </QueryClientProvider>
    </trpc.Provider>,
  );
  return { push: (role: 'owner' | 'admin' | 'member') => act(() => roleChanged(utils!, { type: 'role.changed', role })) };
}

describe('AccountMenu and role.changed', () => {
  it('shows "Administration…" in the open menu as soon as a promotion is pushed, and hides it on a demotion', () => {
    const { push } = renderMenu();
    fireEvent.click(screen.getByRole('button', { name: /ann/ }));
    expect(screen.queryByRole('menuitem', { name: 'Administration…' })).toBeNull();
    push('admin');
    expect(screen.getByRole('menuitem', { name: 'Administration…' })).toBeTruthy();
    push('member');
    expect(screen.queryByRole('menuitem', { name: 'Administration…' })).toBeNull();
  });

  it('has the promotion ready when the menu is opened later', () => {
    const { push } = renderMenu();
    push('owner');
    fireEvent.click(screen.getByRole('button', { name: /ann/ }));
    expect(screen.getByRole('menuitem', { name: 'Administration…' })).toBeTruthy();
  });
});
