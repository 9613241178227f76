// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnonymousClients } from '../api/session-clients';
import { testProviders } from '../api/test-providers';
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
    <Capture>
      <AccountMenu username="ann" onLogout={() => {}} onLogoutEverywhere={async () => {}} notifications={notifications} />
    </Capture>,
    { wrapper: testProviders(clients) },
  );
  // React Query tells its observers on the next tick: the push is awaited past it.
  return { push: (role: 'owner' | 'admin' | 'member') => act(async () => roleChanged(utils!, { type: 'role.changed', role })) };
}

describe('AccountMenu and role.changed', () => {
  it('shows "Administration…" in the open menu as soon as a promotion is pushed, and hides it on a demotion', async () => {
    const { push } = renderMenu();
    fireEvent.click(screen.getByRole('button', { name: /ann/ }));
    expect(screen.queryByRole('menuitem', { name: 'Administration…' })).toBeNull();
    await push('admin');
    expect(await screen.findByRole('menuitem', { name: 'Administration…' })).toBeTruthy();
    await push('member');
    await waitFor(() => expect(screen.queryByRole('menuitem', { name: 'Administration…' })).toBeNull());
  });

  it('has the promotion ready when the menu is opened later', async () => {
    const { push } = renderMenu();
    await push('owner');
    fireEvent.click(screen.getByRole('button', { name: /ann/ }));
    expect(await screen.findByRole('menuitem', { name: 'Administration…' })).toBeTruthy();
  });
});
