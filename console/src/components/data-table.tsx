import { showValue } from '../lib/diff';

/** Rows of a report whose shape the console does not know in advance: one column per field of the first rows. */
export function DataTable(props: { rows: Record<string, unknown>[]; caption: string }) {
  const columns = [...new Set(props.rows.slice(0, 50).flatMap((row) => Object.keys(row)))].slice(0, 12);
  if (!props.rows.length) return <p class="muted">Nothing to show.</p>;
  return (
    <div class="table-scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr key={index}>
              {columns.map((column) => (
                <td key={column}>{showValue(row[column])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
