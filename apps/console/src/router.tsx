// A router of a few lines: the page is the URL's path; links and navigate() push history entries and
// every usePath() reads the new one. Enough for a console of flat pages; nothing to learn.
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};

/** The current path and query, e.g. `/console/members?role=admin`. */
export const useLocation = () =>
  useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);

/** One parameter of the current query string. */
export function useSearchParam(name: string): string | null {
  const location = useLocation();
  return new URLSearchParams(location.split('?')[1] ?? '').get(name);
}

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  window.history[replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const listener of listeners) listener();
  window.scrollTo?.(0, 0);
}

/** A link that changes page without reloading (a modified click still opens a new tab). */
export function Link({ to, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...props} href={to} onClick={onClick} />;
}
