import { useState } from 'react';
import { avatarHue, initials } from './avatar-style';
import { type AvatarOf, useAvatarSource } from './avatar-source';

/**
 * The user's picture when they have one (docs/decisions/143-avatars.md), else initials on a colour picked from the
 * name, so each person keeps one colour everywhere; the initials stay underneath while the picture loads or if it
 * fails. A green dot when online.
 */
export function Avatar({ name, user, size = 'md', online = false }: { name: string; user?: AvatarOf | undefined; size?: 'sm' | 'md' | 'lg'; online?: boolean }) {
  const source = useAvatarSource();
  const url = user?.avatar ? source(user, size === 'lg' ? 'large' : 'small') : null;
  // Remembered per URL: a new version or ticket tries again.
  const [broken, setBroken] = useState<string | null>(null);
  return (
    <span className={`avatar avatar-${size} avatar-hue-${avatarHue(name)}`} aria-hidden="true">
      {initials(name)}
      {url && broken !== url && <img className="avatar-img" src={url} alt="" loading="lazy" decoding="async" draggable={false} onError={() => setBroken(url)} />}
      {online && <span className="avatar-online" />}
    </span>
  );
}
