import { type FocusEvent, type KeyboardEvent, type RefObject, useCallback, useEffect, useRef } from 'react';
import { isNavigationKey, targetIndex } from './message-navigation';

const MESSAGE = 'article.message';
const CONTROL = 'a[href], button, input, select, textarea, [contenteditable="true"]';
/** Keys a focused message answers to, as its toolbar buttons declare them in aria-keyshortcuts. */
const SHORTCUT_NAMES: Record<string, string> = { e: 'E', r: 'R', t: 'T', '+': 'Plus', Delete: 'Delete', Backspace: 'Backspace' };

/**
 * The message list as one tab stop (WAI-ARIA roving tabindex, as Slack and Discord do): one message is
 * tabbable, arrows and the page keys move between messages, Enter goes into a message's actions, Escape
 * comes back, and letter keys run the focused message's actions. A message's links and buttons are tab
 * stops only while focus is inside that message, so 50 messages cost one Tab, not 183.
 *
 * The tab stops are set on the DOM here, in one place, rather than by every component that renders a
 * link or a button inside a message.
 */
export function useRovingFocus(scroller: RefObject<HTMLElement | null>, onTopReached: () => void) {
  // The message the list's tab stop is on; null until the user picks one, meaning the newest.
  const active = useRef<HTMLElement | null>(null);
  const topReached = useRef(onTopReached);
  useEffect(() => {
    topReached.current = onTopReached;
  });

  const sync = useCallback(
    (focused: Element | null = document.activeElement) => {
      const root = scroller.current;
      if (!root) return;
      const messages = root.querySelectorAll<HTMLElement>(MESSAGE);
      if (active.current && !active.current.isConnected) active.current = null;
      const stop = active.current ?? messages[messages.length - 1] ?? null;
      // By attribute: an article without one reads tabIndex -1 and yet cannot take focus.
      const set = (el: HTMLElement, tabIndex: string) => el.getAttribute('tabindex') !== tabIndex && el.setAttribute('tabindex', tabIndex);
      for (const message of messages) {
        set(message, message === stop ? '0' : '-1');
        const inside = focused !== null && message.contains(focused) ? '0' : '-1';
        for (const control of message.querySelectorAll<HTMLElement>(CONTROL)) set(control, inside);
      }
    },
    [scroller],
  );

  // Messages come and go (live, history, edits, reactions): each change gets its tab stops.
  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    sync();
    const observer = new MutationObserver(() => sync());
    observer.observe(root, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [scroller, sync]);

  const onFocus = (e: FocusEvent<HTMLElement>) => {
    const message = (e.target as Element).closest<HTMLElement>(MESSAGE);
    if (message) active.current = message;
    sync(e.target);
  };
  const onBlur = (e: FocusEvent<HTMLElement>) => sync(e.relatedTarget);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const root = scroller.current;
    const target = e.target as HTMLElement;
    const message = target.closest<HTMLElement>(MESSAGE);
    if (!root || !message || e.altKey || e.ctrlKey || e.metaKey) return;

    if (target === message) {
      if (isNavigationKey(e.key)) {
        e.preventDefault();
        const messages = [...root.querySelectorAll<HTMLElement>(MESSAGE)];
        const current = messages.indexOf(message);
        if (current === 0 && (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'Home')) topReached.current();
        const perPage = Math.max(1, Math.floor(root.clientHeight / Math.max(1, root.scrollHeight / messages.length)));
        const next = messages[targetIndex(e.key, current, messages.length, perPage)];
        if (next && next !== message) {
          next.focus({ preventScroll: true });
          next.scrollIntoView({ block: 'nearest' });
        }
        return;
      }
      if (e.key === 'Enter') {
        const first = message.querySelector<HTMLElement>('.message-actions button') ?? message.querySelector<HTMLElement>(CONTROL);
        if (first) {
          e.preventDefault();
          first.focus();
        }
        return;
      }
      const name = SHORTCUT_NAMES[e.key] ?? SHORTCUT_NAMES[e.key.toLowerCase()];
      const button = name && message.querySelector<HTMLElement>(`.message-actions [aria-keyshortcuts~="${name}"]`);
      if (button) {
        e.preventDefault();
        button.click();
      }
      return;
    }

    // Inside a message: along its toolbar with the arrows (the WAI-ARIA toolbar pattern), back out with Escape.
    const toolbar = target.closest('.message-actions');
    if (toolbar && ['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) {
      e.preventDefault();
      const buttons = [...toolbar.querySelectorAll<HTMLElement>('button')];
      const at = buttons.indexOf(target);
      const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: buttons.length - 1 }[e.key] ?? at;
      buttons[(next + buttons.length) % buttons.length]?.focus();
    } else if (e.key === 'Escape' && !target.matches('input, textarea')) {
      e.preventDefault();
      e.stopPropagation();
      message.focus();
    }
  };

  return { onFocus, onBlur, onKeyDown };
}
