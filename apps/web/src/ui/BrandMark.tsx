import { useId } from 'react';

/** The flame logo, drawn inline so it needs no request and no inline style. */
export function BrandMark({ size = 32 }: { size?: number }) {
  const gradient = useId();
  return (
    <svg className="brand-mark" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#fb7185" />
          <stop offset="0.55" stopColor="#e11d48" />
          <stop offset="1" stopColor="#a855f7" />
        </linearGradient>
      </defs>
      <rect width="64" height="64" rx="18" fill="rgba(255,255,255,0.06)" />
      <path d="M32 9c4 9 15 14 15 27a15 15 0 0 1-30 0c0-7 4-12 8-15 0 5 2 9 5 10-2-8 0-16 2-22z" fill={`url(#${gradient})`} />
    </svg>
  );
}
