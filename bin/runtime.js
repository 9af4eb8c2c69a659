'use strict';
// Shared by bin/argus.js and the service launcher: build once, then resolve @argus/* to the compiled files.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') || entry.name.endsWith('.avsc') || entry.name.endsWith('.json'))
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function ensureBuilt(root) {
  const marker = path.join(root, 'dist/.tsbuildinfo');
  const builtAt = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime(path.join(root, 'apps')), newestMtime(path.join(root, 'libs')));
  if (builtAt >= sourcesAt) return;
  process.stderr.write('[argus] compiling TypeScript (tsc -p tsconfig.build.json)…\n');
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch {
    // tsc writes its build info even when it fails: remove it so the next run compiles again.
    fs.rmSync(marker, { force: true });
    process.stderr.write('[argus] the TypeScript build failed (errors above)\n');
    process.exit(1);
  }
  fs.utimesSync(marker, new Date(), new Date());
}

/** Newest source of the console's web app (apps/console/web: .ts, .tsx, .css, .html). */
function newestWebSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestWebSource(full));
    else if (/\.(ts|tsx|mts|css|html|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the console's web app into dist/console-web (vite, about a second) when its sources changed. */
function ensureConsoleBuilt(root) {
  const marker = path.join(root, 'dist/console-web/index.html');
  const builtAt = fs.existsSync(marker) ? fs.statSync(marker).mtimeMs : 0;
  if (builtAt >= newestWebSource(path.join(root, 'apps/console/web'))) return;
  process.stderr.write('[argus] building the console (vite build apps/console/web)…\n');
  try {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', 'apps/console/web'],
      {
        cwd: root,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  } catch {
    process.stderr.write('[argus] the console build failed (errors above)\n');
    process.exit(1);
  }
}

function registerAliases(root) {
  require('reflect-metadata');
  const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
  require('tsconfig-paths').register({ baseUrl: path.join(root, 'dist'), paths: compilerOptions.paths });
}

module.exports = { ensureBuilt, ensureConsoleBuilt, registerAliases };
