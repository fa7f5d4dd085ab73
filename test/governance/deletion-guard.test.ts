import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { DeletionGuard } from '../../shared/governance/deletion-guard';
import { deletionGuardContract } from './deletion-guard-contract';

// Table Storage: deletion-guard-azurite.test.ts.
describe('deletion guard on SQLite', () =>
  deletionGuardContract(
    async () => new DeletionGuard(path.join(mkdtempSync(path.join(tmpdir(), 'jml-guard-')), 'g.sqlite')),
  ));
