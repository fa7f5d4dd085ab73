/** The console's pages, addressed by the URL fragment so that the static shell serves them all. */
export type Route =
  | { page: 'people'; query: string }
  | { page: 'person'; employeeId: string }
  | { page: 'runs'; status: string }
  | { page: 'dead-letters' }
  | { page: 'holds' }
  | { page: 'scim' }
  | { page: 'licences' }
  | { page: 'local' };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (segments[0]) {
    case 'people':
      return segments[1]
        ? { page: 'person', employeeId: segments[1] }
        : { page: 'people', query: params.get('q') ?? '' };
    case 'runs':
      return { page: 'runs', status: params.get('status') ?? '' };
    case 'dead-letters':
      return { page: 'dead-letters' };
    case 'holds':
      return { page: 'holds' };
    case 'scim':
      return { page: 'scim' };
    case 'licences':
      return { page: 'licences' };
    case 'local':
      return { page: 'local' };
    default:
      return { page: 'people', query: '' };
  }
}

export const href = {
  people: (query = '') => `#/people${query ? `?q=${encodeURIComponent(query)}` : ''}`,
  person: (employeeId: string) => `#/people/${encodeURIComponent(employeeId)}`,
  runs: (status = '') => `#/runs${status ? `?status=${encodeURIComponent(status)}` : ''}`,
};
