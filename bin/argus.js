#!/usr/bin/env node
// Entry point of the `argus` command. Builds the TypeScript sources when dist/ is missing or stale
// (incremental, ~1 s when nothing changed) and the console's web app when its sources changed, then runs the compiled CLI with the @argus/* aliases mapped to dist/.
'use strict';
const path = require('node:path');
const { ensureBuilt, ensureConsoleBuilt, registerAliases } = require('./runtime');

const root = path.resolve(__dirname, '..');
ensureBuilt(root);
ensureConsoleBuilt(root);
registerAliases(root);
require(path.join(root, 'dist/apps/cli/src/main.js'));
