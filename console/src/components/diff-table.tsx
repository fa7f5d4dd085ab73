import { diffRows } from '../lib/diff';

/** Before/after of one audit record as a table of the values that changed. */
export function DiffTable(props: { before: unknown; after: unknown; caption: string }) {
  const rows = diffRows(props.before, props.after);
  if (!rows.length) return null;
  return (
    <table class="diff">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path}>
            <th scope="row">{row.path}</th>
            <td class="before">{row.before}</td>
            <td class="after">{row.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
