/** Resolves `%NAME%` binding expressions from app settings, as the Functions host does for binding properties. */
export function resolveSetting(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/%([^%]+)%/g, (_, name: string) => {
    const resolved = env[name];
    if (resolved === undefined || resolved === '')
      throw new Error(`binding refers to app setting %${name}%, which is not set`);
    return resolved;
  });
}
