/**
 * Text longer than one Table Storage property holds, spread over `name`, `name_1`, `name_2`, ... A string
 * property holds at most 64 KiB (UTF-16: 32,768 characters) and an entity at most 1 MiB and 255 properties
 * (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model
 * #property-types); Azure and Azurite answer 400 beyond that.
 */
const CHARS_PER_PROPERTY = 32_000;
/** 14 properties of 64,000 bytes: room left under 1 MiB for the entity's other properties. */
export const MAX_TEXT_CHARS = 14 * CHARS_PER_PROPERTY;

class TextTooLargeError extends Error {}

export function splitText(name: string, text: string): Record<string, string> {
  if (text.length > MAX_TEXT_CHARS)
    throw new TextTooLargeError(`${name} is ${text.length} characters; a table entity holds ${MAX_TEXT_CHARS}`);
  const out: Record<string, string> = { [name]: text.slice(0, CHARS_PER_PROPERTY) };
  for (let part = 1; part * CHARS_PER_PROPERTY < text.length; part++)
    out[`${name}_${part}`] = text.slice(part * CHARS_PER_PROPERTY, (part + 1) * CHARS_PER_PROPERTY);
  return out;
}

export function joinText(name: string, entity: Record<string, unknown>): string {
  let text = String(entity[name] ?? '');
  for (let part = 1; typeof entity[`${name}_${part}`] === 'string'; part++) text += entity[`${name}_${part}`] as string;
  return text;
}
