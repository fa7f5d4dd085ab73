// `npm start` on a fresh clone: create local.settings.json from the example (Core Tools' convention;
// the real file is git-ignored because it may hold secrets).
import { copyFileSync, existsSync } from 'node:fs';

if (!existsSync('local.settings.json')) {
  copyFileSync('local.settings.json.example', 'local.settings.json');
  console.log(
    'created local.settings.json from local.settings.json.example ' +
      '(embedded defaults: local Graph emulator, local queue)',
  );
}
