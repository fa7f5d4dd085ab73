import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { BicepFile, literalString, property } from '../infra/bicep';

/**
 * The licence report's Blob output in Azure as infra/ deploys it: the container exists in the storage account, the
 * app's identity may write and read blobs in it (Storage Blob Data Contributor, scoped to the container), and the
 * Function App is told where it is, with a container name the app's config accepts.
 */
const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

describe('licence report container in infra/', () => {
  it('storage.bicep creates the private container and gives the identity Blob Data Contributor on it', async () => {
    const storage = await BicepFile.load('modules/storage.bicep');
    const containers = storage.resourcesOfType('Microsoft.Storage/storageAccounts/blobServices/containers');
    const container = containers.find((c) => property(c.body, 'name')?.text === 'licenceReportContainerName');
    expect(container, 'a container named licenceReportContainerName').toBeDefined();
    expect(literalString(storage.vars.get('licenceReportContainerName'))).toBe('licence-reports');
    expect(property(container!.body, 'properties.publicAccess')?.text).toBe("'None'");
    const assignment = storage
      .resourcesOfType('Microsoft.Authorization/roleAssignments')
      .find((a) => property(a.body, 'scope')?.text === container!.symbol);
    expect(assignment, 'a role assignment scoped to the container').toBeDefined();
    expect(property(assignment!.body, 'properties.principalId')?.text).toBe('principalId');
    expect(property(assignment!.body, 'properties.roleDefinitionId')?.text).toContain('licenceReportWriterRole');
    expect(literalString(storage.vars.get('licenceReportWriterRole'))).toBe(STORAGE_BLOB_DATA_CONTRIBUTOR);
  });

  it("the Function App gets the account's Blob endpoint and the container from storage.bicep's output", async () => {
    const settings = (await BicepFile.load('modules/function-app.bicep')).vars.get('appSettings')!.text;
    expect(settings).toContain(
      "LICENCE_REPORT_BLOB_ENDPOINT: 'https://${storageAccountName}.blob.${environment().suffixes.storage}'",
    );
    expect(settings).toContain('LICENCE_REPORT_CONTAINER: licenceReportContainerName');
    const main = await BicepFile.load('main.bicep');
    const functionApp = main.modules.find((m) => m.symbol === 'functionApp')!;
    expect(functionApp.params.get('licenceReportContainerName')?.text).toBe(
      'storage.outputs.licenceReportContainerName',
    );
    const config = parseConfig({
      LICENCE_REPORT_BLOB_ENDPOINT: 'https://stjmlabc.blob.core.windows.net',
      LICENCE_REPORT_CONTAINER: 'licence-reports',
    });
    expect(config.LICENCE_REPORT_CONTAINER).toBe('licence-reports');
  });
});
