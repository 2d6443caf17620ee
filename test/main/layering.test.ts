// The lint rule of eslint.config.js that keeps Electron in src/main/adapters (and preload): the
// rest of main must run on plain Node, where `import 'electron'` throws.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function lint(filePath: string, code: string) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
}

describe('Electron imports in main', () => {
  it('are refused outside src/main/adapters', async () => {
    for (const source of ['electron', 'electron-log/main', '@sentry/electron/main']) {
      const messages = await lint(
        'src/main/tray/uses-electron.ts',
        `import x from '${source}';\nexport const y = x;\n`,
      );
      expect(messages[0]?.message, source).toContain('Only src/main/adapters/');
    }
  });

  it('keep the CommonJS preload to electron and src/shared', async () => {
    const messages = await lint(
      'src/preload/index.cts',
      "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n",
    );
    expect(messages[0]?.message).toContain('Preload exposes the bridge');
  });

  it('are allowed in src/main/adapters and in preload', async () => {
    const code = "import { app } from 'electron';\nexport const y = app;\n";
    expect(await lint('src/main/adapters/new-adapter.ts', code)).toEqual([]);
    expect(await lint('src/preload/other.ts', code)).toEqual([]);
  });
});
