/**
 * The page's colour theme, as Starlight sets it (`<html data-theme="light|dark">`),
 * for the parts Starlight's CSS cannot reach: xterm's and Monaco's colours
 * are set from script, so they follow the reader's theme switch through here.
 */
export function isLightTheme(): boolean {
  return document.documentElement.dataset.theme === 'light';
}

/** Call `apply` now and whenever the reader switches theme. */
export function followTheme(apply: (light: boolean) => void): void {
  apply(isLightTheme());
  new MutationObserver(() => apply(isLightTheme())).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
}
