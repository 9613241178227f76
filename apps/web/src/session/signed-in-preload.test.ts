// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRELOAD_SCRIPT } from '../../vite-plugins/signed-in-preload';
import { SESSION_KEY } from './session-store';

// public/signed-in-preload.js is a plain script (it runs before any of the app): run here as index.html runs it.
const source = readFileSync(join(fileURLToPath(import.meta.url), '../../../public', PRELOAD_SCRIPT), 'utf8');
const CHUNKS = '/assets/SignedInApp-abc.js /assets/SignedInApp-def.css';

function runPreload(chunks = CHUNKS) {
  const script = document.createElement('script');
  script.setAttribute('data-chunks', chunks);
  document.head.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  // Kept rather than inserted: happy-dom would try to fetch what a link preloads.
  const added: HTMLLinkElement[] = [];
  const append = vi.spyOn(document.head, 'appendChild').mockImplementation((node) => (added.push(node as HTMLLinkElement), node));
  try {
    new Function(source)();
  } finally {
    append.mockRestore();
  }
  return added.map((l) => ({ rel: l.rel, as: l.getAttribute('as'), href: l.getAttribute('href'), crossOrigin: l.getAttribute('crossorigin') }));
}

describe('the signed-in preload script', () => {
  afterEach(() => {
    localStorage.clear();
    document.head.innerHTML = '';
  });

  it('reads the key the app stores its session under', () => {
    expect(source).toContain(`'${SESSION_KEY}'`);
  });

  it('fetches nothing without a stored session: the login page never loads the chat', () => {
    expect(runPreload()).toEqual([]);
  });

  it('with a session stored, preloads the chat chunk as a module and its styles as a style, both as CORS requests as the loader makes them', () => {
    localStorage.setItem(SESSION_KEY, '{}');
    expect(runPreload()).toEqual([
      { rel: 'modulepreload', as: null, href: '/assets/SignedInApp-abc.js', crossOrigin: '' },
      { rel: 'preload', as: 'style', href: '/assets/SignedInApp-def.css', crossOrigin: '' },
    ]);
  });

  it('adds nothing when the page names no chunks (a development build)', () => {
    localStorage.setItem(SESSION_KEY, '{}');
    expect(runPreload('')).toEqual([]);
  });
});
