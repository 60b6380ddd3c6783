// A three-route app needs no router library: the path is a signal, links call `navigate`.
import { signal } from '@preact/signals';

export const currentPath = signal(location.pathname + location.search);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentPath.value) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  currentPath.value = to;
}

addEventListener('popstate', () => {
  currentPath.value = location.pathname + location.search;
});

/** Plain left clicks on app links navigate in place; modified clicks keep the browser's behaviour. */
export function onLinkClick(event: MouseEvent, to: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(to);
}
