import { useRef, useState } from 'preact/hooks';
import type { MutableRef } from 'preact/hooks';

/**
 * State whose latest value is always readable through a ref. Live events and fetch responses can
 * arrive several times between two renders; each update must start from the previous update's
 * result, not from what the last render saw.
 */
export function useRefState<T>(initial: T): [T, (update: (prev: T) => T) => void, MutableRef<T>] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const update = (fn: (prev: T) => T) => {
    ref.current = fn(ref.current);
    setValue(ref.current);
  };
  return [value, update, ref];
}
