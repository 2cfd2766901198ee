// Canvas views read the theme's colours when they draw, so a theme switch must
// count as a change to them: `theme()` is reactive state following the root's data-theme.
const root = document.documentElement;
let current = $state(root.dataset.theme ?? '');
new MutationObserver(() => (current = root.dataset.theme ?? '')).observe(root, {
  attributes: true,
  attributeFilter: ['data-theme'],
});

export const theme = (): string => current;
