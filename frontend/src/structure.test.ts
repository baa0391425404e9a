// The web app's layout rules (STYLE.md, principle 15), checked on the
// sources: one door to the API, feature folders that do not import each
// other, UI components that never fetch.
import { describe, expect, it } from 'vitest';

// Every source file (tests left out) as text, by its path under src/.
const SOURCES = Object.fromEntries(
  Object.entries(import.meta.glob<string>(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./**/*.test.tsx', '!./**/*.d.ts'], { query: '?raw', import: 'default', eager: true })).map(
    ([path, text]) => [path.slice(2), text],
  ),
);

/** The files a source imports, as paths under src/ (packages left out). */
function imports(file: string): string[] {
  const text = SOURCES[file] ?? '';
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm)) {
    const spec = m[1] ?? m[2] ?? '';
    if (!spec.startsWith('.')) continue;
    const parts = file.split('/').slice(0, -1);
    for (const p of spec.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    }
    out.push(parts.join('/'));
  }
  return out;
}

const files = Object.keys(SOURCES);
const featureOf = (path: string) => /^features\/([^/]+)\//.exec(path)?.[1] ?? null;

describe('the layout of src/', () => {
  it('finds the sources', () => {
    expect(files).toContain('api/client.ts');
    expect(files).toContain('features/ledger/ledger-tab.tsx');
    expect(imports('features/ledger/ledger-tab.tsx')).toContain('api/ledger');
  });

  it('features never import each other (app.tsx puts them together)', () => {
    const crossings = files.flatMap((f) => {
      const own = featureOf(f);
      if (!own) return [];
      return imports(f)
        .filter((to) => featureOf(`${to}/`) !== null && featureOf(`${to}/`) !== own)
        .map((to) => `${f} -> ${to}`);
    });
    expect(crossings).toEqual([]);
  });

  it('only api/client.ts calls fetch, and only the resource modules in api/ use its client', () => {
    expect(files.filter((f) => /\bfetch\(/.test(SOURCES[f]!))).toEqual(['api/client.ts']);
    const users = files.filter((f) => /import\s*\{[^}]*\bapi\b[^}]*\}\s*from\s*'[^']*\/?client'/.test(SOURCES[f]!) && imports(f).includes('api/client'));
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((f) => !f.startsWith('api/'))).toEqual([]);
  });

  it('components neither call the API nor import features', () => {
    const resources = ['api/session', 'api/clients', 'api/groups', 'api/settings', 'api/ledger', 'api/imports', 'api/users', 'api/profile', 'api/tokens', 'api/webhooks'];
    const bad = files
      .filter((f) => f.startsWith('components/'))
      .flatMap((f) => imports(f).filter((to) => resources.includes(to) || to.startsWith('features/')).map((to) => `${f} -> ${to}`));
    expect(bad).toEqual([]);
  });
});
