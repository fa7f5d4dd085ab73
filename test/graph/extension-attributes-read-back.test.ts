import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDirectory, type GraphDirectory } from '../../shared/adapters/graph/graph-directory';
import { parseConfig } from '../../shared/config/config';
import { diffAttributes } from '../../shared/domain/diff';
import { startGraphEmulatorServer } from '../../local/emulators/graph/graph-emulator-extension';

/** Issue 23 item 3: a re-evaluation compares with what the directory holds and writes only differences. */
describe('extension attributes are read back before a write', () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let directory: GraphDirectory;
  beforeAll(async () => {
    server = await startGraphEmulatorServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'jml-ext-')) });
    directory = createDirectory(parseConfig({ WEBSITE_HOSTNAME: server.baseUrl.replace('http://', '') }));
  });
  afterAll(async () => server?.close());

  it('an unchanged cost centre in extensionAttribute1 is not written again', async () => {
    const created = await directory.createUser({
      userPrincipalName: 'cc@contoso.com',
      mailNickname: 'cc',
      displayName: 'Cost Centre',
      accountEnabled: false,
      password: 'Secret-123-abc!',
      employeeId: 'CC1',
      extensionAttributes: { extensionAttribute1: '4130' },
    });
    const user = (await directory.getUser(created.id))!;
    expect(user.extensionAttributes).toEqual(expect.objectContaining({ extensionAttribute1: '4130' }));
    const same = { extensionAttributes: { extensionAttribute1: '4130', extensionAttribute2: null } };
    expect(diffAttributes(user, same)).toEqual({});
    expect(diffAttributes(user, { extensionAttributes: { extensionAttribute1: '4140' } })).toEqual({
      extensionAttributes: { extensionAttribute1: '4140' },
    });
  });
});
