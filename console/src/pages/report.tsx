import { call } from '../api/client';
import { AnyJson } from '../api/schemas';
import { useResource } from '../api/use-resource';
import { DataTable } from '../components/data-table';
import { JsonBlock } from '../components/json-block';
import { ResultView } from '../components/result-view';
import { useConsole } from '../context';

/** The rows of a report: the answer itself when it is a list, else its first list of objects (value, targets…). */
function reportRows(answer: unknown): { name: string; rows: Record<string, unknown>[] } | null {
  const isRows = (value: unknown): value is Record<string, unknown>[] =>
    Array.isArray(value) && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row));
  if (isRows(answer)) return { name: 'rows', rows: answer };
  if (typeof answer !== 'object' || answer === null) return null;
  for (const [name, value] of Object.entries(answer)) if (isRows(value)) return { name, rows: value };
  return null;
}

/**
 * A report page over an admin route whose shape is still settling (SCIM targets, licences): a table of its rows and
 * the whole answer on demand. The shell only links here once the route answers.
 */
export function ReportPage(props: { title: string; path: string; intro: string }) {
  const { apiBase } = useConsole();
  const report = useResource(props.path, () => call(`${apiBase}${props.path}`, AnyJson), {
    poll: true,
    pollMs: 15_000,
  });
  return (
    <>
      <h1 tabIndex={-1}>{props.title}</h1>
      <p class="muted">{props.intro}</p>
      <ResultView result={report.result} what={props.title.toLowerCase()}>
        {(answer) => {
          const table = reportRows(answer);
          return (
            <>
              {table ? <DataTable rows={table.rows} caption={`${props.title}: ${table.name}`} /> : null}
              <JsonBlock value={answer} summary="Whole answer (JSON)" />
            </>
          );
        }}
      </ResultView>
    </>
  );
}
