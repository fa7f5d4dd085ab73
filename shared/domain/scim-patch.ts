import type { DesiredAttribute, ScimValue } from './scim-mapping';
import {
  attributePathText,
  elementPathText,
  parseAttributePath,
  readAttribute,
  removeAttribute,
  selectedElements,
  writeAttribute,
  type ScimResource,
} from './scim-path';

/**
 * The smallest PATCH (RFC 7644 §3.5.2) that brings an existing resource to the wanted values of the mapped
 * attributes, and a pure application of such operations (used for the PUT fallback and to check the diff).
 */

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Whether a held value already is the wanted one. Servers that send booleans as "True"/"false" strings (Entra's own
 * default PATCH does: application-provisioning-config-problem-scim-compatibility) hold the same boolean; a number
 * held for a text value compares as its text.
 */
export function sameScimValue(held: unknown, wanted: ScimValue): boolean {
  if (typeof wanted === 'boolean') {
    if (typeof held === 'boolean') return held === wanted;
    return typeof held === 'string' && held.toLowerCase() === String(wanted);
  }
  if (typeof held === 'string') return held === wanted;
  if (typeof held === 'number') return String(held) === wanted;
  if (typeof held === 'boolean') return String(held) === wanted.toLowerCase();
  return false;
}

/** The PATCH operations that make `existing` hold `desired` on every mapped attribute; [] when it already does. */
export function diffScimUser(existing: ScimResource, desired: DesiredAttribute[]): PatchOperation[] {
  const operations: PatchOperation[] = [];
  const elements = new Map<string, DesiredAttribute[]>();
  for (const attribute of desired) {
    const { path, value } = attribute;
    if (path.filter) {
      const key = elementPathText(path).toLowerCase();
      elements.set(key, [...(elements.get(key) ?? []), attribute]);
      continue;
    }
    const held = readAttribute(existing, path);
    if (value === undefined) {
      if (!isEmpty(held)) operations.push({ op: 'remove', path: path.text });
    } else if (!sameScimValue(held, value)) {
      operations.push({ op: isEmpty(held) ? 'add' : 'replace', path: path.text, value });
    }
  }
  for (const group of elements.values()) operations.push(...diffElement(existing, group));
  return operations;
}

/**
 * One element of a multi-valued attribute (`emails[type eq "work"]`): replaced sub-attribute by sub-attribute when it
 * exists; added whole to the attribute when it does not (a replace whose value filter matches nothing is a 400
 * noTarget, RFC 7644 §3.5.2.3); removed whole when none of its mapped sub-attributes is wanted any more.
 */
function diffElement(existing: ScimResource, group: DesiredAttribute[]): PatchOperation[] {
  const first = group[0]!.path;
  const present = selectedElements(existing, first).length > 0;
  const wanted = group.filter((d) => d.value !== undefined);
  if (!present) {
    if (!wanted.length) return [];
    const element: Record<string, unknown> = { [first.filter!.attribute]: first.filter!.value };
    for (const { path, value } of wanted) element[path.subAttribute!] = value;
    return [{ op: 'add', path: attributePathText(first), value: [element] }];
  }
  if (!wanted.length) {
    const held = group.some((d) => !isEmpty(readAttribute(existing, d.path)));
    return held ? [{ op: 'remove', path: elementPathText(first) }] : [];
  }
  const operations: PatchOperation[] = [];
  for (const { path, value } of group) {
    const held = readAttribute(existing, path);
    if (value === undefined) {
      if (!isEmpty(held)) operations.push({ op: 'remove', path: path.text });
    } else if (!sameScimValue(held, value)) {
      operations.push({ op: 'replace', path: path.text, value });
    }
  }
  return operations;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Applies PATCH operations to a copy of `resource` as RFC 7644 §3.5.2 says for the forms this client sends:
 * `op` in any case (Entra sends Add/Replace/Remove), add to a multi-valued attribute appends, replace/add set,
 * remove deletes (a filtered path removes the elements it selects). A path-less add/replace merges its value's keys.
 */
export function applyScimPatch(resource: ScimResource, operations: readonly PatchOperation[]): ScimResource {
  const result = clone(resource);
  for (const operation of operations) {
    const op = operation.op.toLowerCase();
    if (!operation.path) {
      if (op !== 'remove' && operation.value && typeof operation.value === 'object') {
        for (const [key, value] of Object.entries(operation.value as Record<string, unknown>))
          applyOne(result, op, key, value);
      }
      continue;
    }
    applyOne(result, op, operation.path, operation.value);
  }
  return result;
}

function applyOne(resource: ScimResource, op: string, pathText: string, value: unknown): void {
  const path = parseAttributePath(pathText);
  if (op === 'remove') {
    removeAttribute(resource, path);
    return;
  }
  if (op === 'add' && Array.isArray(value) && !path.filter && path.subAttribute === null) {
    const held = readAttribute(resource, path);
    const before: unknown[] = Array.isArray(held) ? (held as unknown[]) : [];
    writeAttribute(resource, path, [...before, ...clone(value as unknown[])]);
    return;
  }
  writeAttribute(resource, path, clone(value));
}
