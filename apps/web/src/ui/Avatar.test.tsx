// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Avatar } from './Avatar';
import { AvatarSourceContext } from './avatar-source';

afterEach(cleanup);

const source = (user: { id: string; avatar?: string | undefined }, size: 'small' | 'large') => `/files/avatars/${user.id}/${user.avatar}${size === 'small' ? '/small' : ''}?ticket=t`;

describe('Avatar', () => {
  it('shows the picture over the initials when the user has one, in the size asked for', () => {
    const { container } = render(
      <AvatarSourceContext.Provider value={source}>
        <Avatar name="ada_l" user={{ id: 'u1', avatar: 'v1' }} size="sm" />
        <Avatar name="ada_l" user={{ id: 'u1', avatar: 'v1' }} size="lg" />
      </AvatarSourceContext.Provider>,
    );
    const imgs = [...container.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual(['/files/avatars/u1/v1/small?ticket=t', '/files/avatars/u1/v1?ticket=t']);
    // The initials stay underneath, for the moment it loads.
    expect(container.textContent).toBe('ALAL');
  });

  it('keeps the initials with no picture, no ticket yet, or a picture that fails to load', () => {
    const { container } = render(
      <AvatarSourceContext.Provider value={source}>
        <Avatar name="grace" user={{ id: 'u2' }} />
        <Avatar name="bob" user={{ id: 'u3', avatar: 'v3' }} />
      </AvatarSourceContext.Provider>,
    );
    expect(container.querySelectorAll('img')).toHaveLength(1);
    fireEvent.error(container.querySelector('img')!);
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect(container.textContent).toBe('GRBO');
    cleanup();
    // Outside the signed-in app (no source): initials only.
    const bare = render(<Avatar name="ada" user={{ id: 'u1', avatar: 'v1' }} />);
    expect(bare.container.querySelectorAll('img')).toHaveLength(0);
  });
});
