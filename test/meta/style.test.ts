import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every `any` type annotation and every use of Math.random in a file (comments ignored). */
function offences(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    const where = (): string => `${relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    if (n.kind === ts.SyntaxKind.AnyKeyword) out.push(`${where()} uses the type 'any'`);
    if (ts.isPropertyAccessExpression(n) && n.expression.getText() === 'Math' && n.name.text === 'random') {
      out.push(`${where()} uses Math.random (use createRng(seed))`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('code style rules that the compiler does not enforce', () => {
  it('no `any` anywhere and no Math.random in the library', () => {
    const lib = tsFiles(join(root, 'src')).flatMap(offences);
    const rest = ['test', 'examples', 'scripts']
      .flatMap((d) => tsFiles(join(root, d)))
      .flatMap(offences)
      .filter((o) => o.includes("'any'"));
    expect([...lib, ...rest]).toEqual([]);
  });

  it('the library never imports a backend package or calls tf.setBackend outside useBackend', () => {
    const backendPkg = /^@tensorflow\/tfjs-(backend-|node)/;
    const bad: string[] = [];
    for (const f of tsFiles(join(root, 'src'))) {
      const rel = relative(root, f);
      const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (n: ts.Node): void => {
        if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier !== undefined && ts.isStringLiteral(n.moduleSpecifier) && backendPkg.test(n.moduleSpecifier.text)) {
          bad.push(`${rel} imports ${n.moduleSpecifier.text}`);
        }
        if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
          const a = n.arguments[0];
          if (a !== undefined && ts.isStringLiteral(a) && backendPkg.test(a.text)) bad.push(`${rel} imports ${a.text}`);
        }
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'setBackend' && rel !== join('src', 'core', 'backend.ts')) {
          bad.push(`${rel} calls ${n.expression.getText()}`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(bad).toEqual([]);
  });
});
