#!/usr/bin/env node
// Runs before `npm start` and `npm test` on whatever Node the machine has, so a fresh clone needs
// no separate install step: installs from the lockfile when node_modules is missing or older, then
// builds the admin console's browser app (console/dist) when it is missing or older than its sources: its
// folder, and every file of the project the last build was made of (console/dist/built-from.json).
const { existsSync, readFileSync, readdirSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
const installed = join(root, 'node_modules', '.package-lock.json');
const lockfile = join(root, 'package-lock.json');

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs) {
  console.error('Installing dependencies from package-lock.json (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

const consoleDir = join(root, 'console');
const built = ['index.html', 'assets/app.js', 'assets/app.css'].map((file) => join(consoleDir, 'dist', file));

/** The newest modification time of `path`, a file or a folder searched to any depth; a missing one is newest. */
function newest(path) {
  if (!existsSync(path)) return Infinity;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stat.mtimeMs);
}

const builtFrom = join(consoleDir, 'dist', 'built-from.json');
const projectFiles = existsSync(builtFrom) ? JSON.parse(readFileSync(builtFrom, 'utf8')) : [];
const sources = [
  ...['src', 'index.html', 'build.ts'].map((source) => join(consoleDir, source)),
  ...projectFiles.map((file) => join(root, file)),
  installed,
];
const outputs = [...built, builtFrom];
const builtAt = outputs.every((file) => existsSync(file))
  ? Math.min(...outputs.map((file) => statSync(file).mtimeMs))
  : 0;
if (builtAt < Math.max(...sources.map(newest))) {
  console.error('Building the admin console (console/dist)…');
  execSync('npm run --silent console:build', { cwd: root, stdio: 'inherit' });
}
