import { useState } from 'react';
import { chooseTheme, storedTheme, type ThemeChoice } from '../ui/theme-choice';

const CHOICES: { value: ThemeChoice; label: string; hint: string }[] = [
  { value: 'glass', label: 'Glass', hint: 'Red and purple glass over a dark glow' },
  { value: 'dark', label: 'Dark', hint: 'The same colours, flat: lighter work for a phone' },
  { value: 'light', label: 'Light', hint: 'Light surfaces, red and purple accents' },
  { value: 'system', label: 'System', hint: 'Light or glass, as this device prefers' },
];

/** Kept on this device only: a phone may be light while the laptop stays glass. */
export function ThemeSection() {
  const [choice, setChoice] = useState<ThemeChoice>(storedTheme);
  return (
    <fieldset className="theme-choices">
      <legend className="sr-only">Theme</legend>
      {CHOICES.map((c) => (
        <label key={c.value} className="theme-choice" data-choice={c.value}>
          <input
            type="radio"
            name="theme"
            value={c.value}
            checked={choice === c.value}
            onChange={() => {
              setChoice(c.value);
              chooseTheme(c.value);
            }}
          />
          <span className="theme-swatch" aria-hidden="true" />
          <span>
            <strong>{c.label}</strong>
            <span className="field-hint">{c.hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
