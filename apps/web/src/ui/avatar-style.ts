/** Number of avatar colour classes in Avatar.css (avatar-hue-0 … avatar-hue-5). */
export const AVATAR_HUES = 6;

export function avatarHue(name: string): number {
  let h = 0;
  for (const ch of name.toLowerCase()) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return h % AVATAR_HUES;
}

export function initials(name: string): string {
  const parts = name.split(/[_.\-\s]+/).filter(Boolean);
  const letters = parts.length > 1 ? (parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '') : name.slice(0, 2);
  return letters.toUpperCase();
}
