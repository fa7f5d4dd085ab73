import SCIMMY from 'scimmy';

/**
 * RFC 7643 §2.1: "Attribute names are case insensitive". scimmy matches them so in resource bodies and filters but
 * not in PATCH paths (`NAME.FAMILYNAME` "does not match any values"), so before scimmy applies a PatchOp
 * (RFC 7644 §3.5.2) its paths, and the attribute names of path-less values, are rewritten to the schema's own
 * spelling. A name the schema does not declare is left alone, for scimmy to refuse with 400 invalidPath.
 */
type SchemaDefinition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;

const COMPARISON = /([A-Za-z][\w-]*)(?=\s+(?:eq|ne|co|sw|ew|gt|lt|ge|le|pr)\b)/gi;

export function canonicalisePatchNames(body: unknown, definition: SchemaDefinition): void {
  if (!isObject(body) || !Array.isArray(body.Operations)) return;
  for (const operation of body.Operations as unknown[]) {
    if (!isObject(operation)) continue;
    if (typeof operation.path === 'string') operation.path = canonicalPath(operation.path, definition);
    else if (operation.path === undefined && isObject(operation.value)) {
      const value: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(operation.value)) value[canonicalName(name, definition) ?? name] = sub;
      operation.value = value;
    }
  }
}

function canonicalPath(path: string, definition: SchemaDefinition): string {
  const open = path.indexOf('[');
  const close = path.lastIndexOf(']');
  if (open < 0 || close < open) return canonicalName(path, definition) ?? path;
  const name = canonicalName(path.slice(0, open), definition);
  const attribute = name === undefined ? undefined : lookUp(definition, name);
  if (name === undefined || !attribute) return path;
  const filter = path
    .slice(open + 1, close)
    .split(/("(?:[^"\\]|\\.)*")/)
    .map((part, index) =>
      index % 2 ? part : part.replace(COMPARISON, (sub: string) => subAttributeName(attribute, sub) ?? sub),
    )
    .join('');
  const rest = path.slice(close + 1);
  const sub = rest.startsWith('.') ? subAttributeName(attribute, rest.slice(1)) : undefined;
  return `${name}[${filter}]${sub !== undefined ? `.${sub}` : rest}`;
}

/** `name.familyName`, `urn:...:enterprise:2.0:User:department` in the schema's spelling, or undefined. */
function canonicalName(name: string, definition: SchemaDefinition): string | undefined {
  if (name.toLowerCase().startsWith('urn:')) {
    const schemas: SchemaDefinition[] = [
      definition,
      ...(definition.attributes as unknown[]).filter(isSchemaDefinition),
    ];
    const schema = schemas.find((s) => name.toLowerCase().startsWith(`${s.id.toLowerCase()}:`));
    if (!schema) return undefined;
    const rest = canonicalName(name.slice(schema.id.length + 1), schema);
    return rest === undefined ? undefined : `${schema.id}:${rest}`;
  }
  const [first = '', ...subs] = name.split('.');
  let attribute = lookUp(definition, first);
  if (!attribute) return undefined;
  const names = [attribute.name];
  for (const sub of subs) {
    attribute = attribute.subAttributes?.find((a) => a.name.toLowerCase() === sub.toLowerCase());
    if (!attribute) return undefined;
    names.push(attribute.name);
  }
  return names.join('.');
}

function lookUp(definition: SchemaDefinition, name: string): Attribute | undefined {
  return definition.attributes.find((a) => !isSchemaDefinition(a) && a.name.toLowerCase() === name.toLowerCase());
}

function subAttributeName(attribute: Attribute, name: string): string | undefined {
  return attribute.subAttributes?.find((a) => a.name.toLowerCase() === name.toLowerCase())?.name;
}

function isSchemaDefinition(value: unknown): value is SchemaDefinition {
  return value instanceof SCIMMY.Types.SchemaDefinition;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
