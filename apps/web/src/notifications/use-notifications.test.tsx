// @vitest-environment happy-dom
import { act, cleanup, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Notifications, useNotifications } from './use-notifications';

let permission: NotificationPermission = 'default';
let permissionReads = 0;
class FakeNotification {
  static get permission() {
    permissionReads++;
    return permission;
  }
  static requestPermission = async () => {
    permission = 'granted';
    return permission;
  };
}

let seen: Notifications | null = null;
function Probe({ n }: { n: number }) {
  seen = useNotifications();
  return <p>{n}</p>;
}

beforeEach(() => {
  Object.defineProperty(globalThis, 'Notification', { value: FakeNotification, configurable: true, writable: true });
  permission = 'default';
  permissionReads = 0;
  localStorage.clear();
});
afterEach(cleanup);

describe('useNotifications', () => {
  it('asks the browser for the permission once, not on every render (each read is a synchronous call into the browser)', () => {
    const { rerender } = render(<Probe n={0} />);
    for (let n = 1; n <= 20; n++) rerender(<Probe n={n} />);
    expect(seen?.permission).toBe('default');
    expect(permissionReads).toBeLessThanOrEqual(2);
  });

  it('still follows the user turning them on and off, and a change made in another tab', async () => {
    render(<Probe n={0} />);
    await act(() => seen!.turnOn());
    expect([seen?.choice, seen?.permission, seen?.allowed]).toEqual(['on', 'granted', true]);
    act(() => seen!.turnOff());
    expect([seen?.choice, seen?.allowed]).toEqual(['off', false]);
    act(() => {
      localStorage.setItem('chat.notifications', 'on');
      window.dispatchEvent(new StorageEvent('storage', { key: 'chat.notifications' }));
    });
    expect(seen?.choice).toBe('on');
  });

  it('sees a permission changed in the browser\'s settings when the page is shown again', () => {
    render(<Probe n={0} />);
    permission = 'denied';
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(seen?.permission).toBe('denied');
  });
});
