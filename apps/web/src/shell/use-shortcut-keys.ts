import { useEffect, useRef } from 'react';

/** Whether a key pressed here is text being typed (so "?" is a character, not a shortcut). */
const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || target.matches('input, textarea, select'));

/** The keys that work anywhere in the signed-in app: ? (outside text boxes) and Ctrl+/ (anywhere) open the shortcut list. */
export function useShortcutKeys(openShortcuts: () => void) {
  const open = useRef(openShortcuts);
  useEffect(() => {
    open.current = openShortcuts;
  });
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || (e.target instanceof Element && e.target.closest('dialog'))) return;
      const ctrlSlash = (e.ctrlKey || e.metaKey) && e.key === '/';
      const question = e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(e.target);
      if (ctrlSlash || question) {
        e.preventDefault();
        open.current();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
