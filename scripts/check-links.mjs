#!/usr/bin/env node
// `npm run lint`: every relative link in README.md, the other top-level Markdown files and docs/
// points at a file that exists and, with a #fragment, at a heading of that file (GitHub's anchor
// for it: lower case, punctuation dropped, spaces as hyphens, repeats numbered). Links to the web
// are not followed (no network here). Prints each broken link and exits 1.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const pages = [
  ...readdirSync(root).filter((name) => name.endsWith('.md')),
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].map((name) => join(root, name));

/** The text outside fenced code blocks. */
const unfenced = (text) => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
/** ...and outside inline code: where links are links. */
const prose = (text) => unfenced(text).replace(/`[^`\n]*`/g, '');

/** GitHub's heading anchors of a Markdown file. */
function anchors(file) {
  const seen = new Map();
  const result = new Set();
  for (const [, heading] of unfenced(readFileSync(file, 'utf8')).matchAll(
    /^#{1,6}\s+(.+?)\s*#*\s*$/gm,
  )) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

const broken = [];
for (const page of pages) {
  const text = prose(readFileSync(page, 'utf8'));
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
    const [path, fragment] = target.split('#');
    const file = path ? resolve(dirname(page), decodeURIComponent(path)) : page;
    const where = `${relative(root, page)}: (${target})`;
    if (!existsSync(file)) {
      broken.push(`${where} — no such file`);
    } else if (
      fragment &&
      statSync(file).isFile() &&
      file.endsWith('.md') &&
      !anchors(file).has(fragment)
    ) {
      broken.push(`${where} — no heading with that anchor in ${relative(root, file)}`);
    }
  }
}
if (broken.length > 0) {
  console.error(`Broken links:\n${broken.map((line) => `  ${line}`).join('\n')}`);
  process.exit(1);
}
