import { extensionDoc, workflowDoc } from './lcw-documents';
import { CustomTaskExtensionInput, WorkflowInput } from './lcw-schemas';
import type { LcwStore } from './lcw-store';

/**
 * The seed's Lifecycle Workflows objects (seed/demo-tenant.json `lifecycleWorkflows`): the custom task extension
 * "entra-jml activation" and the joiner workflow "Pre-hire activation". Checked with the same schemas as a POST, so the
 * seed cannot hold what Graph would refuse. Missing ones are added at every start (a tenant seeded before they existed
 * gets them); the seeded workflows are enabled and scheduled only with ENTRA_JML_LOCAL_LCW=1, so runs happen only
 * when asked for.
 */
export interface LifecycleSeed {
  customTaskExtensions?: ({ id: string } & Record<string, unknown>)[];
  workflows?: ({ id: string } & Record<string, unknown>)[];
}

export function seedLifecycleWorkflows(
  store: LcwStore,
  seed: LifecycleSeed | undefined,
  enabled: boolean,
  now: number,
): void {
  const at = new Date(now).toISOString();
  for (const { id, ...body } of seed?.customTaskExtensions ?? []) {
    if (!store.get('customTaskExtension', id))
      store.put('customTaskExtension', extensionDoc(id, CustomTaskExtensionInput.parse(body), at));
  }
  for (const { id, ...body } of seed?.workflows ?? []) {
    const existing = store.get('workflow', id);
    const input = existing ?? workflowDoc(id, WorkflowInput.parse(body), at, (index) => seedTaskId(id, index));
    store.put('workflow', { ...input, isEnabled: enabled, isSchedulingEnabled: enabled });
  }
}

/** Stable task ids for a seeded workflow, so a reset tenant keeps the same callback paths. */
function seedTaskId(workflowId: string, index: number): string {
  return `e${workflowId.slice(1, -4)}${String(index + 1).padStart(4, '0')}`;
}
