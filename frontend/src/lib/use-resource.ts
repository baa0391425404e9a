import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api/client';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  /** a request is running (the previous data, if any, is still shown) */
  loading: boolean;
  reload: () => void;
  /** replace the data after a write answered with the new state */
  setData: (data: T) => void;
}

/**
 * Loads data when `key` changes; an older request still running is
 * aborted, so a slow answer never overwrites a newer one.
 */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(key !== null);
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    if (key === null) return;
    const ac = new AbortController();
    setLoading(true);
    loader
      .current(ac.signal)
      .then((d) => {
        if (ac.signal.aborted) return;
        setData(d);
        setError(null);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted || isAbort(e)) return;
        setError(e);
        setLoading(false);
      });
    return () => ac.abort();
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, setData };
}
