#!/usr/bin/env node
// Runs one compiled service: `node bin/service.js <app>` (the app must have been built: npm run build).
'use strict';
const path = require('node:path');
const { registerAliases } = require('./runtime');

const app = process.argv[2];
if (!app || !/^[a-z-]+$/.test(app)) {
  process.stderr.write('usage: node bin/service.js <app>\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '..');
registerAliases(root);
require(path.join(root, 'dist/apps', app, 'src/main.js'));
