// The theme is a choice of this device (docs/decisions/155-profiles.md): kept in localStorage and set on
// <html> before React renders anything, so the first paint already has it. No inline script: the
// app's CSP forbids them; this module is the entry's first import.

export const THEMES = ['glass', 'dark', 'light', 'system'] as const;
export type ThemeChoice = (typeof THEMES)[number];
export type AppliedTheme = Exclude<ThemeChoice, 'system'>;

const KEY = 'ember-theme';
/** The bar colour browsers paint around the page, per theme (index.html has glass's). */
const THEME_COLOR: Record<AppliedTheme, string> = { glass: '#0b0610', dark: '#0e0713', light: '#fbf4f8' };

const lightQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: light)') : null);

export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as ThemeChoice) : 'glass';
  } catch {
    // Storage refused (a locked-down browser): today's look.
    return 'glass';
  }
}

/** "system" follows the device: light when it prefers light, else glass. */
export const resolveTheme = (choice: ThemeChoice): AppliedTheme => (choice === 'system' ? (lightQuery()?.matches ? 'light' : 'glass') : choice);

export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  const theme = resolveTheme(choice);
  root.dataset.theme = theme;
  document.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme === 'light' ? 'light' : 'dark');
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', THEME_COLOR[theme]);
}

export function chooseTheme(choice: ThemeChoice): void {
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // Kept for this page only.
  }
  applyTheme(choice);
}

/** Applies the stored choice now and follows the device's preference while "system" is chosen. */
export function startTheme(): void {
  applyTheme(storedTheme());
  lightQuery()?.addEventListener('change', () => {
    if (storedTheme() === 'system') applyTheme('system');
  });
}
