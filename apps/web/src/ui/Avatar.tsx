import { avatarHue, initials } from './avatar-style';

/** Initials on a colour picked from the name, so each person keeps one colour everywhere; a green dot when online. */
export function Avatar({ name, size = 'md', online = false }: { name: string; size?: 'sm' | 'md' | 'lg'; online?: boolean }) {
  return (
    <span className={`avatar avatar-${size} avatar-hue-${avatarHue(name)}`} aria-hidden="true">
      {initials(name)}
      {online && <span className="avatar-online" />}
    </span>
  );
}
