import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES } from '@/lib/i18n/config';

type Tree = { [k: string]: string | Tree };

function entries(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]): [string, string][] => (typeof v === 'string' ? [[prefix + k, v]] : entries(v, `${prefix}${k}.`)));
}

// Chinese text quotes with “ ”, as the rest of the catalogue does; a straight " is a typing slip.
describe('zh-CN quotes with “ ”', () => {
  it.each(NAMESPACES)('%s', (ns) => {
    const tree = JSON.parse(readFileSync(path.join('messages', 'zh-CN', `${ns}.json`), 'utf8')) as Tree;
    expect(entries(tree).filter(([, v]) => v.includes('"')).map(([k]) => k)).toEqual([]);
  });
});
