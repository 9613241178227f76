import { avatarHue, initials } from './avatar-style';

/** Initials on a colour picked from the name, so each person keeps one colour everywhere. */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span className={`avatar avatar-${size} avatar-hue-${avatarHue(name)}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
