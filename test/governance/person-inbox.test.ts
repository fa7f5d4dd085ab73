import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { SqlitePersonInbox } from '../../shared/adapters/inbox/sqlite-person-inbox';
import { personInboxContract } from './person-inbox-contract';

// Table Storage: person-inbox-azurite.test.ts.
describe('person inbox on SQLite', () =>
  personInboxContract(
    async () => new SqlitePersonInbox(path.join(mkdtempSync(path.join(tmpdir(), 'jml-inbox-')), 'inbox.sqlite')),
  ));
