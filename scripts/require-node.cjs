// Preloaded (`node -r ./scripts/require-node.cjs …`) by every npm script, before Node tries to
// load a TypeScript entry point: older Node versions cannot run the sources and would otherwise
// fail with ERR_UNKNOWN_FILE_EXTENSION ".ts" and no hint of the cause. CommonJS and ES5-level
// syntax on purpose, so any Node version can read it.
'use strict';
var required = 24;
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= required)) {
  process.stderr.write(
    'Node.js ' +
      required +
      ' or later is required (found v' +
      process.versions.node +
      ').\n' +
      'Install Node.js ' +
      required +
      ' LTS (https://nodejs.org, nvm install ' +
      required +
      ', or the node:' +
      required +
      ' Docker image) and run the command again.\n',
  );
  process.exit(1);
}
