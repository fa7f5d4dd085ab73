/**
 * SCIM attribute paths (RFC 7644 §3.10 ATTRPATH, plus one `eq` value filter as in `emails[type eq "work"].value`,
 * the form Entra sends:
 * https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups)
 * and reading / writing them in a resource. Attribute names and schema URNs are case-insensitive
 * (RFC 7643 §2.1), so every lookup ignores case and a write reuses the key the resource already has.
 */

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export type ScimResource = Record<string, unknown>;

export interface AttributePath {
  /** Extension schema URN the attribute belongs to; null for the core schema. */
  schema: string | null;
  attribute: string;
  /** Value filter selecting elements of a multi-valued attribute (`type eq "work"`). */
  filter: { attribute: string; value: string } | null;
  subAttribute: string | null;
  /** The path as written in a PATCH operation. */
  text: string;
}

const NAME = '[A-Za-z][\\w$-]*';
const PATH = new RegExp(`^(${NAME})(?:\\[(${NAME}) eq "((?:[^"\\\\]|\\\\.)*)"\\])?(?:\\.(${NAME}))?$`);

/** Parses `name.givenName`, `urn:...:User:department`, `emails[type eq "work"].value`; throws on anything else. */
export function parseAttributePath(text: string): AttributePath {
  let schema: string | null = null;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const bracket = text.indexOf('[');
    // Without a bracket, a mutant's slice(0, -1) only drops a character after the last colon of a valid path.
    // Stryker disable next-line ConditionalExpression,UnaryOperator: equivalent, lastIndexOf finds the same colon
    const head = bracket === -1 ? text : text.slice(0, bracket);
    const colon = head.lastIndexOf(':');
    schema = text.slice(0, colon);
    rest = text.slice(colon + 1);
    if (schema.toLowerCase() === CORE_USER_SCHEMA.toLowerCase()) schema = null;
  }
  const match = PATH.exec(rest);
  if (!match) {
    throw new Error(
      `"${text}" is not a SCIM attribute path this client writes ` +
        '(attribute, attribute.sub, attribute[sub eq "value"].sub, optionally URN-qualified)',
    );
  }
  const [, attribute, filterAttribute, filterValue, subAttribute] = match;
  return {
    schema,
    attribute: attribute!,
    filter: filterAttribute !== undefined ? { attribute: filterAttribute, value: unescape(filterValue!) } : null,
    subAttribute: subAttribute ?? null,
    text,
  };
}

/** A path a mapping writes to: a filtered element must name the sub-attribute that takes the value. */
export function parseMappingPath(text: string): AttributePath {
  const path = parseAttributePath(text);
  if (path.filter && path.subAttribute === null)
    throw new Error(`"${text}": a value filter needs a sub-attribute (e.g. emails[type eq "work"].value)`);
  return path;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** The path of the element a filtered path selects (`emails[type eq "work"]`), or of the attribute itself. */
export function elementPathText(path: AttributePath): string {
  const prefix = path.schema ? `${path.schema}:` : '';
  const filter = path.filter ? `[${path.filter.attribute} eq ${JSON.stringify(path.filter.value)}]` : '';
  return `${prefix}${path.attribute}${filter}`;
}

/** The path of the multi-valued attribute itself (`emails`), schema-qualified when needed. */
export function attributePathText(path: AttributePath): string {
  return `${path.schema ? `${path.schema}:` : ''}${path.attribute}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `object` equal to `key` ignoring case (RFC 7643 §2.1), or undefined. */
function keyOf(object: Record<string, unknown>, key: string): string | undefined {
  if (Object.hasOwn(object, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

function getIgnoringCase(object: unknown, key: string): unknown {
  if (!isObject(object)) return undefined;
  const found = keyOf(object, key);
  return found === undefined ? undefined : object[found];
}

/** Filter values compare case-insensitively: `type` and the like are not caseExact (RFC 7643 §4.1.2). */
function matchesFilter(element: unknown, filter: { attribute: string; value: string }): boolean {
  const actual = getIgnoringCase(element, filter.attribute);
  return typeof actual === 'string' && actual.toLowerCase() === filter.value.toLowerCase();
}

function container(resource: ScimResource, path: AttributePath): unknown {
  return path.schema === null ? resource : getIgnoringCase(resource, path.schema);
}

/** The elements of a multi-valued attribute that a filtered path selects. */
export function selectedElements(resource: ScimResource, path: AttributePath): Record<string, unknown>[] {
  const list = getIgnoringCase(container(resource, path), path.attribute);
  if (!Array.isArray(list) || !path.filter) return [];
  const filter = path.filter;
  return list.filter(
    (element): element is Record<string, unknown> => isObject(element) && matchesFilter(element, filter),
  );
}

/** The value at `path`, or undefined. A manager held as a plain string is read as its value. */
export function readAttribute(resource: ScimResource, path: AttributePath): unknown {
  const base = container(resource, path);
  if (path.filter) {
    const element = selectedElements(resource, path)[0];
    // Stryker disable next-line ConditionalExpression: equivalent, an undefined element reads undefined below too.
    if (element === undefined || path.subAttribute === null) return element;
    return getIgnoringCase(element, path.subAttribute);
  }
  const value = getIgnoringCase(base, path.attribute);
  if (path.subAttribute === null) return value;
  if (typeof value === 'string' && path.subAttribute.toLowerCase() === 'value') return value;
  return getIgnoringCase(value, path.subAttribute);
}

function childObject(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = keyOf(parent, key);
  const value = existing === undefined ? undefined : parent[existing];
  if (isObject(value)) return value;
  const created: Record<string, unknown> = {};
  parent[existing ?? key] = created;
  return created;
}

function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  object[keyOf(object, key) ?? key] = value;
}

function deleteKey(object: unknown, key: string): void {
  if (!isObject(object)) return;
  const found = keyOf(object, key);
  if (found !== undefined) delete object[found];
}

/** Writes `value` at `path` in place; a filtered path with no matching element adds one. */
export function writeAttribute(resource: ScimResource, path: AttributePath, value: unknown): void {
  const base = path.schema === null ? resource : childObject(resource, path.schema);
  if (path.filter) {
    const key = keyOf(base, path.attribute) ?? path.attribute;
    const list = Array.isArray(base[key]) ? (base[key] as unknown[]) : [];
    base[key] = list;
    const matching = selectedElements(resource, path);
    if (matching.length === 0) {
      const element = { [path.filter.attribute]: path.filter.value };
      list.push(element);
      matching.push(element);
    }
    for (const element of matching) {
      if (path.subAttribute !== null) setKey(element, path.subAttribute, value);
      else if (isObject(value)) Object.assign(element, value);
    }
    return;
  }
  if (path.subAttribute === null) setKey(base, path.attribute, value);
  else setKey(childObject(base, path.attribute), path.subAttribute, value);
}

/** Removes the value at `path` in place (a filtered path without sub-attribute removes the elements). */
export function removeAttribute(resource: ScimResource, path: AttributePath): void {
  const base = container(resource, path);
  if (!isObject(base)) return;
  if (path.filter) {
    const key = keyOf(base, path.attribute);
    if (key === undefined || !Array.isArray(base[key])) return;
    const filter = path.filter;
    if (path.subAttribute === null) {
      const kept = (base[key] as unknown[]).filter((element) => !matchesFilter(element, filter));
      if (kept.length) base[key] = kept;
      else delete base[key];
    } else {
      for (const element of selectedElements(resource, path)) deleteKey(element, path.subAttribute);
    }
    return;
  }
  if (path.subAttribute === null) deleteKey(base, path.attribute);
  else deleteKey(getIgnoringCase(base, path.attribute), path.subAttribute);
}
