// Infinite scroll: calls `onVisible` when the sentinel element scrolls into view (near the edge).
import { useEffect, useRef } from 'preact/hooks';
import type { RefObject } from 'preact';

export function useSentinel(
  sentinel: RefObject<Element>,
  onVisible: () => void,
  options: { root?: RefObject<Element>; enabled: boolean },
): void {
  const latest = useRef(onVisible);
  latest.current = onVisible;
  const { root, enabled } = options;
  useEffect(() => {
    const target = sentinel.current;
    if (!enabled || !target) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) latest.current();
      },
      { root: root?.current ?? null, rootMargin: '400px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [sentinel, root, enabled]);
}
