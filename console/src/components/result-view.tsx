import type { ComponentChildren } from 'preact';
import { describeFailure, type ApiResult } from '../api/client';

/**
 * Renders an API answer: the content when it came, otherwise why not, in words. A route the app does not have yet
 * reads "not available" rather than breaking the page.
 */
export function ResultView<T>(props: {
  result: ApiResult<T> | null;
  /** What is being loaded, for the messages ("people", "dead letters"). */
  what: string;
  children: (data: T) => ComponentChildren;
}) {
  const { result, what } = props;
  if (!result) return <p class="muted">Loading {what}…</p>;
  if (result.kind === 'ok') return <>{props.children(result.data)}</>;
  if (result.kind === 'unavailable')
    return (
      <p class="notice" data-testid="unavailable">
        Not available: this app does not serve {what} yet.
      </p>
    );
  if (result.kind === 'not-found') return <p class="notice">{result.message}</p>;
  return (
    <p class="error" role="alert">
      Could not load {what}: {describeFailure(result)}
    </p>
  );
}
