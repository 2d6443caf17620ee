// A function in src/ longer than LIMIT lines must say why, in a comment right above it containing
// "Long on purpose": a long function is usually several concerns that want their own units.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const LIMIT = 120;
const REASON = 'Long on purpose';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(c|m)?tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

interface LongFunction {
  where: string;
  lines: number;
  justified: boolean;
}

/** The function's own statement: the variable statement of `const f = () => …`, else itself. */
function statementOf(node: ts.Node): ts.Node {
  let at: ts.Node = node;
  while (
    at.parent &&
    (ts.isVariableDeclaration(at.parent) ||
      ts.isVariableDeclarationList(at.parent) ||
      ts.isVariableStatement(at.parent))
  )
    at = at.parent;
  return at;
}

export function longFunctions(file: string, text: string, limit = LIMIT): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node)
    ) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (last - first + 1 > limit) {
        const statement = statementOf(node);
        const comments = ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? [];
        found.push({
          where: `${path.relative(root, file)}:${first + 1}`,
          lines: last - first + 1,
          justified: comments.some((c) => text.slice(c.pos, c.end).includes(REASON)),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  it(`every function in src/ over ${LIMIT} lines says why in a comment`, () => {
    const unexplained = sourceFiles(path.join(root, 'src'))
      .flatMap((file) => longFunctions(file, readFileSync(file, 'utf8')))
      .filter((f) => !f.justified)
      .map((f) => `${f.where} (${f.lines} lines)`);
    expect(unexplained).toEqual([]);
  });

  it('finds a long function without a reason, and accepts one with it', () => {
    const body = Array.from({ length: 5 }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const bare = `export function f() {\n${body}\n}\n`;
    const explained = `// ${REASON}: a table.\nexport const g = () => {\n${body}\n};\n`;
    expect(longFunctions('x.ts', bare, 4)).toMatchObject([{ lines: 7, justified: false }]);
    expect(longFunctions('x.ts', explained, 4)).toMatchObject([{ lines: 7, justified: true }]);
  });
});
