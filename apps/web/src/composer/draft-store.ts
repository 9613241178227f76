/** Drafts are kept per account in this browser, so a reload (or a crash) keeps what was being typed. */
const key = (accountId: string) => `chat.drafts.v1.${accountId}`;

export function loadDrafts(accountId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(accountId)) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  } catch {
    return {};
  }
}

export function saveDrafts(accountId: string, drafts: Readonly<Record<string, string>>): void {
  const kept = Object.fromEntries(Object.entries(drafts).filter(([, text]) => text !== ''));
  try {
    if (Object.keys(kept).length === 0) localStorage.removeItem(key(accountId));
    else localStorage.setItem(key(accountId), JSON.stringify(kept));
  } catch {
    // Storage full or refused (private mode): the draft still lives for this page.
  }
}

export function forgetDrafts(accountId: string): void {
  try {
    localStorage.removeItem(key(accountId));
  } catch {
    // Nothing was stored.
  }
}
