// Lists source files over the file limit and functions over the function limit (the limits every file
// in src/ keeps: 400 lines a file, 100 a function; the aim is 350 and 80). A function's length is its
// whole span, nested functions included. Exit code 1 when anything is over.
// Usage: node scripts/check-size.mjs [--aim] [DIR…]   (default src)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const aim = args.includes('--aim');
const dirs = args.filter((a) => a !== '--aim');
const [fileLimit, functionLimit] = aim ? [350, 80] : [400, 100];

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [path] : [];
  });
}

const over = [];
for (const path of (dirs.length ? dirs : ['src']).flatMap(files)) {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > fileLimit) over.push(`${path}: ${lines} lines`);
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      const name = node.name?.getText(source) ?? ts.SyntaxKind[node.kind];
      if (length > functionLimit) over.push(`${path}:${start + 1}: ${name} is ${length} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const line of over) console.log(line);
console.log(
  over.length === 0
    ? `none over ${fileLimit} / ${functionLimit}`
    : `${over.length} over ${fileLimit} / ${functionLimit}`,
);
process.exit(over.length === 0 ? 0 : 1);
