// A session's device as people recognise it ("Firefox on Windows"), derived once at login from the
// User-Agent header (docs/decisions/156-sessions-and-devices.md). Only words from the lists below can
// come out, so no byte of the header is stored or shown.

const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChrom(?:e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/^node\b|\bnode-fetch\b|\bundici\b/i, 'Node.js'],
  [/^curl\//, 'curl'],
];

const SYSTEMS: readonly [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

/** Longest header looked at: a real one is a few hundred characters. */
const MAX_HEADER = 512;

/** "Chrome on Android", "Firefox", "Android", or "Unknown device": never any text of the header itself. */
export function deviceLabel(userAgent: string | string[] | undefined): string {
  const header = (Array.isArray(userAgent) ? userAgent[0] : userAgent)?.slice(0, MAX_HEADER) ?? '';
  const browser = BROWSERS.find(([pattern]) => pattern.test(header))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(header))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? 'Unknown device';
}
