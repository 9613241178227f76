// @vitest-environment happy-dom
import type { RoomListItem } from '../api/room-types';
import { EVERYONE_ROOM_ID } from '@chat/api/schemas';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoomSidebar } from './RoomSidebar';

const item = (id: string, over: Partial<RoomListItem> = {}): RoomListItem => ({
  id,
  kind: 'channel',
  name: id,
  topic: null,
  peer: null,
  createdBy: null,
  memberCount: 2,
  createdAt: '2026-01-01T00:00:00.000Z',
  unread: 0,
  mentions: 0,
  lastReadMessageId: null,
  lastMessageId: null,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const DM_ID = '3f2b8c1e-9a4d-4e6f-8b1a-2c3d4e5f6a7b';
const rooms = [
  item(EVERYONE_ROOM_ID, { name: 'everyone' }),
  item('c1', { name: 'compilers', unread: 3, lastActivityAt: '2026-01-02T00:00:00.000Z' }),
  item('p1', { kind: 'private', name: 'skunkworks' }),
  item(DM_ID, { kind: 'dm', name: 'grace', peer: { id: 'u-grace', username: 'grace' } }),
];

afterEach(cleanup);

const renderSidebar = (onOpen = vi.fn()) =>
  render(<RoomSidebar rooms={rooms} openRoomId={EVERYONE_ROOM_ID} online={[{ id: 'u-grace', username: 'grace' }]} meId="u-me" onOpen={onOpen} onCreate={vi.fn()} onBrowse={vi.fn()} onNewMessage={vi.fn()} />);

describe('RoomSidebar', () => {
  it('lists channels (busiest first), private rooms and DMs in their own sections', () => {
    renderSidebar();
    const channels = within(screen.getByRole('region', { name: 'Channels' })).getAllByRole('link');
    expect(channels.map((a) => a.textContent)).toEqual(['#compilers, 3 unread', '#everyone']);
    expect(within(screen.getByRole('region', { name: 'Private rooms' })).getByRole('link').textContent).toContain('skunkworks');
    const dm = within(screen.getByRole('region', { name: 'Direct messages' })).getByRole('link');
    expect(dm.textContent).toBe('GRgrace, online');
  });

  it('marks the open room and links each room to its own path', () => {
    renderSidebar();
    expect(screen.getByRole('link', { name: /everyone/ }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: /everyone/ }).getAttribute('href')).toBe('/');
    expect(screen.getByRole('link', { name: /grace/ }).getAttribute('href')).toBe(`/r/${DM_ID}`);
  });

  it('opens a room in the page on a plain click, and leaves a modified click to the browser', () => {
    const onOpen = vi.fn();
    renderSidebar(onOpen);
    fireEvent.click(screen.getByRole('link', { name: /compilers/ }));
    expect(onOpen).toHaveBeenCalledWith('c1');
    fireEvent.click(screen.getByRole('link', { name: /skunkworks/ }), { ctrlKey: true });
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('shows mentions as their own badge, apart from the unread count', () => {
    render(<RoomSidebar rooms={[item('c1', { name: 'compilers', unread: 4, mentions: 2 })]} openRoomId={null} online={[]} meId="u-me" onOpen={vi.fn()} onCreate={vi.fn()} onBrowse={vi.fn()} onNewMessage={vi.fn()} />);
    expect(screen.getByRole('link').textContent).toBe('#compilers, @2 mentions, 4 unread');
    expect(screen.getByTestId('mention-badge').dataset.count).toBe('2');
  });

  it('names a DM and a group DM by their people’s display names, the viewer left out (the server’s name has usernames)', () => {
    const me = { id: 'u-me', username: 'me', displayName: 'Me Myself' };
    const renamed = [
      item(DM_ID, { kind: 'dm', name: 'grace', peer: { id: 'u-grace', username: 'grace', displayName: 'Grace Hopper' } }),
      item('g1', { kind: 'private', name: 'ada, grace', group: { members: [{ id: 'u-ada', username: 'ada' }, { id: 'u-grace', username: 'grace', displayName: 'Grace Hopper' }, me] } }),
    ];
    render(<RoomSidebar rooms={renamed} openRoomId={null} online={[]} meId="u-me" onOpen={vi.fn()} onCreate={vi.fn()} onBrowse={vi.fn()} onNewMessage={vi.fn()} />);
    const links = within(screen.getByRole('region', { name: 'Direct messages' })).getAllByRole('link');
    expect(links.map((a) => a.querySelector('.room-link-name')?.textContent).sort()).toEqual(['Grace Hopper', 'ada, Grace Hopper']);
  });
});
