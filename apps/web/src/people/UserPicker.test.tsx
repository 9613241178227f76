// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnonymousClients } from '../api/session-clients';
import { testProviders } from '../api/test-providers';
import type { PublicUser } from '../api/trpc';
import { type PickedPerson, UserPicker } from './UserPicker';

afterEach(cleanup);

const user = (id: string, username: string): PublicUser => ({ id, username, createdAt: '2026-12-01T00:00:00.000Z', online: id === 'u-grace' });
const ME = user('u-ada', 'ada');
const GRACE = user('u-grace', 'grace');
const GREG = user('u-greg', 'greg');

/** A picker whose searches were answered already (the page's cache; the search is fresh for 30 s, so no server is asked). */
function renderPicker(props: { excludeId?: string; note?: { text: string; error: boolean } | null; withChips?: boolean }) {
  const clients = createAnonymousClients();
  const answer = (query: string, users: PublicUser[]) => clients.queryClient.setQueryData([['user', 'search'], { input: { query, limit: 10 }, type: 'query' }], users);
  answer('g', [ME, GRACE, GREG]);
  answer('zz', []);
  function Picker() {
    const [picked, setPicked] = useState<PickedPerson[]>([]);
    return (
      <UserPicker
        label="Search people"
        excludeId={props.excludeId}
        note={props.note ?? null}
        picked={props.withChips ? { people: picked, remove: (p) => setPicked((list) => list.filter((x) => x.id !== p.id)) } : undefined}
        action={(u) => (
          <button type="button" onClick={() => setPicked((list) => [...list, u])}>
            Add {u.username}
          </button>
        )}
      />
    );
  }
  render(<Picker />, { wrapper: testProviders(clients) });
  return { type: (text: string) => fireEvent.change(screen.getByRole('searchbox', { name: 'Search people' }), { target: { value: text } }) };
}

/** The names in the results list, in order. */
const found = () => [...(screen.getByRole('list', { name: 'People found' }).querySelectorAll('.browse-name'))].map((name) => name.textContent);

describe('UserPicker', () => {
  it('lists the users a search finds, each with its action, once the typing pauses, leaving out the excluded one', async () => {
    const { type } = renderPicker({ excludeId: ME.id });
    type('g');
    expect(found()).toHaveLength(0);
    await screen.findByRole('button', { name: 'Add grace' });
    expect(found()).toEqual(['grace', 'greg']);
    expect(screen.queryByRole('button', { name: 'Add ada' })).toBeNull();
  });

  it('says when no one matches, and a note (an error, a limit) takes the status line instead', async () => {
    const { type } = renderPicker({});
    type('zz');
    await screen.findByText('No one matches “zz”.');
    cleanup();
    const again = renderPicker({ note: { text: 'You cannot add people here.', error: true } });
    again.type('zz');
    const status = await screen.findByRole('status');
    await new Promise((r) => setTimeout(r, 400));
    expect(status.textContent).toBe('You cannot add people here.');
    expect(status.className).toBe('field-error');
  });

  it('shows the picked people as chips above the search, and a chip removes its person', async () => {
    const { type } = renderPicker({ withChips: true });
    expect(screen.queryByRole('list', { name: 'To' })).toBeNull();
    type('g');
    fireEvent.click(await screen.findByRole('button', { name: 'Add grace' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add greg' }));
    expect(screen.getAllByRole('button', { name: /^Remove / }).map((b) => b.textContent)).toEqual(['grace ×', 'greg ×']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove grace' }));
    expect(screen.getAllByRole('button', { name: /^Remove / }).map((b) => b.textContent)).toEqual(['greg ×']);
  });
});
