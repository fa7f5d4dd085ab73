import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiResult } from './client';

export interface Resource<T> {
  /** The last answer (kept while a reload is in flight, so the page does not flicker). */
  result: ApiResult<T> | null;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` when `key` changes, and again every `pollMs` while `poll` is true and the tab is visible (an admin
 * watching a run sees it progress; a hidden tab costs the app nothing). Answers that arrive for an old key are
 * dropped.
 */
export function useResource<T>(
  key: string,
  load: () => Promise<ApiResult<T>>,
  options: { pollMs?: number; poll?: boolean } = {},
): Resource<T> {
  const [result, setResult] = useState<ApiResult<T> | null>(null);
  const [loading, setLoading] = useState(true);
  const current = useRef(key);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    const forKey = key;
    setLoading(true);
    const answer = await loader.current();
    if (current.current !== forKey) return;
    setResult(answer);
    setLoading(false);
  }, [key]);

  useEffect(() => {
    current.current = key;
    setResult(null);
    void reload();
  }, [key, reload]);

  const { pollMs = 3000, poll = false } = options;
  useEffect(() => {
    if (!poll) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, pollMs);
    return () => clearInterval(timer);
  }, [poll, pollMs, reload]);

  return { result, loading, reload };
}
