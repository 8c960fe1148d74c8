import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * An exact, portable install: `npm ci` installs what the lock lists and nothing else, so a lock
 * written on one platform must still list every other platform's optional binaries (rollup's,
 * esbuild's), or `npm ci` on a Mac or an ARM machine installs a bundler that cannot load.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the install', () => {
  it("lists every package's optional dependencies in the lock, for every platform", () => {
    const { packages } = JSON.parse(read('package-lock.json')) as { packages: Record<string, { optionalDependencies?: Record<string, string> }> };
    const missing = Object.entries(packages).flatMap(([path, pkg]) =>
      Object.keys(pkg.optionalDependencies ?? {})
        .filter((name) => !packages[`${path}/node_modules/${name}`] && !packages[`node_modules/${name}`])
        .map((name) => `${path || '(root)'} -> ${name}`),
    );
    expect(missing).toEqual([]);
    const rollupBinaries = Object.keys(packages).filter((path) => path.startsWith('node_modules/@rollup/rollup-'));
    expect(rollupBinaries).toEqual(expect.arrayContaining(['node_modules/@rollup/rollup-darwin-arm64', 'node_modules/@rollup/rollup-win32-x64-msvc', 'node_modules/@rollup/rollup-linux-arm64-gnu']));
  });

  it('CI installs with npm ci on the committed lock, with no fallback, then runs the README test command', () => {
    const script = read('.ci/run');
    const commands = script.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    expect(commands).toContain('npm ci --no-audit --no-fund');
    expect(script).not.toMatch(/npm install|\|\|\s*npm/);
    const readmeTest = /^(npm \S+)\s+# type-checks/m.exec(read('README.md'))![1]!;
    expect(commands.at(-1)).toBe(readmeTest);
  });
});
