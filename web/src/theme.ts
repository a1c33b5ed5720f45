export type Theme = 'light' | 'dark';
const NAME = 'fxp.theme';

/** The theme in force: the user's stored choice, else the system preference. */
export function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(NAME, theme);
  } catch {
    // not persisted; still applied
  }
  document.dispatchEvent(new Event('themechange'));
}

/** Follows system changes while the user has made no choice. */
export function watchSystemTheme(): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const onChange = () => {
    if (!document.documentElement.dataset.theme) document.dispatchEvent(new Event('themechange'));
  };
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
