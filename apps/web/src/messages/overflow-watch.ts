/**
 * Tells each message text whether it is taller than its collapsed height, from one ResizeObserver
 * for the whole list. Its callbacks run after the browser's own layout, so reading the heights there
 * costs nothing; reading them in each message's layout effect forced a layout per mount instead
 * (the long task after history arrives, decision 151).
 */
type Listener = (overflows: boolean) => void;

const listeners = new Map<Element, Listener>();
let observer: ResizeObserver | null = null;

function shared(): ResizeObserver {
  observer ??= new ResizeObserver((entries) => {
    for (const { target } of entries) listeners.get(target)?.(target.scrollHeight > target.clientHeight + 1);
  });
  return observer;
}

/** Calls `listener` once the element is laid out and whenever its size changes; the returned function stops. */
export function watchOverflow(element: Element, listener: Listener): () => void {
  // No ResizeObserver (a test DOM): nothing is ever measured as taller, as no layout happens there.
  if (typeof ResizeObserver === 'undefined') return () => {};
  listeners.set(element, listener);
  shared().observe(element);
  return () => {
    listeners.delete(element);
    observer?.unobserve(element);
  };
}
