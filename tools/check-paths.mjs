#!/usr/bin/env node
// A clone has nothing beside it: no file of the repository may name a path outside it — a folder next to the
// checkout (the `shared` folder one level up), an absolute path of one particular machine (a home or work folder), or a relative
// path that climbs above the repository root. `npm test` runs this over every tracked and untracked,
// not-ignored file and fails on the first finding; `tools/check-paths.test.mjs` holds its examples.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files that are data, not text a person or a program reads paths from. */
const SKIPPED = [/\.csv$/, /\.onnx$/, /\.png$/, /\.jpe?g$/, /\.ico$/, /(^|\/)package-lock\.json$/];
const MAX_BYTES = 2_000_000;

/** Absolute folders that exist only on some machine: home and work folders of a person or a CI runner. */
const MACHINE_PATH = /(?<![\w.~$%{}-])\/(?:work|home|root|Users|mnt|media)\/[\w.-]/g;
/** The folder that sits beside the checkout on the machines this project was built on. */
const BESIDE = [/\.\.[/\\]+shared\b/g, /['"`]\.\.['"`]\s*,\s*['"`]shared['"`]/g];
/** A relative path with at least one `..` step, as written in code, configs and docs. */
const RELATIVE = /(?<![\w./-])((?:\.\.\/)+[\w.@-][\w./@-]*)/g;
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Whether `target`, read relative to the folder of `file` (a repository path), stays inside the repository. */
function staysInside(file, target) {
  const root = resolve('/repository-root');
  const resolved = normalize(join(root, dirname(file), target));
  return resolved === root || resolved.startsWith(`${root}${sep}`);
}

/**
 * The paths outside the repository that `text` (the content of the repository file `file`) names, each with its
 * line and why it is refused. Pure: the examples in check-paths.test.mjs call it directly.
 */
export function outsidePaths(file, text) {
  const findings = [];
  const add = (index, path, why) => findings.push({ file, line: lineOf(text, index), path, why });
  for (const match of text.matchAll(MACHINE_PATH)) add(match.index, match[0], 'an absolute path of one machine');
  for (const pattern of BESIDE)
    for (const match of text.matchAll(pattern)) add(match.index, match[0], 'a folder beside the checkout');
  for (const match of text.matchAll(RELATIVE)) {
    if (!staysInside(file, match[1])) add(match.index, match[1], 'a relative path above the repository root');
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const target = match[1].split('#')[0];
      if (target === '' || /^[a-z][\w+.-]*:/i.test(target) || target.startsWith('/')) continue;
      if (!staysInside(file, target) && !findings.some((f) => f.path === target))
        add(match.index, target, 'a link above the repository root');
    }
  }
  return findings;
}

/** Every file of the working tree that git would commit: tracked, plus untracked and not ignored. */
export function repositoryFiles(root) {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split('\0').filter((f) => f !== ''))];
}

export function checkRepository(root) {
  const findings = [];
  for (const file of repositoryFiles(root)) {
    if (SKIPPED.some((pattern) => pattern.test(file))) continue;
    const path = join(root, file);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue; // deleted in the working tree, not yet staged
    }
    if (!stat.isFile() || stat.size > MAX_BYTES) continue;
    const bytes = readFileSync(path);
    if (bytes.includes(0)) continue; // binary
    findings.push(...outsidePaths(file, bytes.toString('utf8')));
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const findings = checkRepository(root);
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: ${f.path} — ${f.why}\n`);
  if (findings.length > 0) {
    process.stderr.write(
      `${findings.length} path(s) outside the repository: a clone has nothing beside it; copy what is needed into the repository\n`,
    );
    process.exit(1);
  }
  process.stdout.write('no file names a path outside the repository\n');
}
