// `npm start` on a fresh clone: create local.settings.json from the example (Core Tools' convention;
// the real file is git-ignored because it may hold secrets). An existing file gets the example's settings it
// lacks (added by later versions, such as the Lifecycle Workflows ones); values already there are never changed.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

if (!existsSync('local.settings.json')) {
  copyFileSync('local.settings.json.example', 'local.settings.json');
  console.log(
    'created local.settings.json from local.settings.json.example ' +
      '(embedded defaults: local Graph emulator, local queue)',
  );
} else {
  const example = JSON.parse(readFileSync('local.settings.json.example', 'utf8'));
  let settings;
  try {
    settings = JSON.parse(readFileSync('local.settings.json', 'utf8'));
  } catch {
    settings = null; // not JSON: left alone, the host names the problem when it reads the file
  }
  if (settings && typeof settings === 'object') {
    settings.Values ??= {};
    const added = Object.keys(example.Values ?? {}).filter((key) => !(key in settings.Values));
    for (const key of added) settings.Values[key] = example.Values[key];
    if (added.length) {
      writeFileSync('local.settings.json', `${JSON.stringify(settings, null, 2)}\n`);
      console.log(`local.settings.json: added ${added.join(', ')} from local.settings.json.example`);
    }
  }
}
