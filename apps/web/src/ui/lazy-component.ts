import { type ComponentType, lazy, type LazyExoticComponent } from 'react';

/** A component whose code loads on first use, and that can be asked to load sooner. */
export type LazyComponent<P> = LazyExoticComponent<ComponentType<P>> & {
  /** Starts loading now (a hover or focus on what opens it), so the first open finds it ready. */
  preload(): void;
};

/**
 * `React.lazy` for what the signed-in first screen does not show (docs/decisions/164): its chunk is fetched when it
 * is first rendered or preloaded, once. A failed load (offline, a deploy removed the chunk) is tried again on next use.
 */
export function lazyComponent<P>(load: () => Promise<ComponentType<P>>): LazyComponent<P> {
  let loading: Promise<{ default: ComponentType<P> }> | null = null;
  const start = () =>
    (loading ??= load().then(
      (component) => ({ default: component }),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
  return Object.assign(lazy(start), { preload: () => void start().catch(() => {}) });
}
