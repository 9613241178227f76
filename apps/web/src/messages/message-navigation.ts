/** The keys that move focus from one message to another while a message has focus. */
export const NAVIGATION_KEYS = ['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'] as const;
export type NavigationKey = (typeof NAVIGATION_KEYS)[number];

export const isNavigationKey = (key: string): key is NavigationKey => (NAVIGATION_KEYS as readonly string[]).includes(key);

/**
 * Which message gets focus after `key`, among `count` messages (oldest first) with `current` focused.
 * `perPage` is how many messages a screenful holds. Stays in range, so the keys never lose focus.
 */
export function targetIndex(key: NavigationKey, current: number, count: number, perPage: number): number {
  if (count <= 0) return -1;
  const step = Math.max(1, Math.floor(perPage));
  const next = {
    ArrowUp: current - 1,
    ArrowDown: current + 1,
    Home: 0,
    End: count - 1,
    PageUp: current - step,
    PageDown: current + step,
  }[key];
  return Math.min(count - 1, Math.max(0, next));
}
