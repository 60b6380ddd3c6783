// Where the harness finds its binaries and puts its output. ctest passes every path (see
// tests/CMakeLists.txt); the defaults are those of a scripts/test build, for runs by hand.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const config = {
  crmd: process.env.CRMD_BINARY ?? path.join(root, 'build/release/app/crmd'),
  emulator: process.env.CRMD_EMULATOR ?? path.join(root, 'build/release/tools/openphone-emulator/openphone-emulator'),
  webDir: process.env.CRM_WEB_DIR ?? path.join(root, 'web/dist'),
  chromium: process.env.CRMD_CHROMIUM ?? '/usr/bin/chromium',
  artifacts: process.env.CRMD_BROWSER_ARTIFACTS ?? path.join(root, 'build/release/tests/browser-artifacts'),
};
