/** Any JSON value, folded: an admin opens it when the summary is not enough. */
export function JsonBlock(props: { value: unknown; summary: string }) {
  if (props.value === undefined || props.value === null) return null;
  return (
    <details class="json">
      <summary>{props.summary}</summary>
      <pre>{JSON.stringify(props.value, null, 2)}</pre>
    </details>
  );
}
