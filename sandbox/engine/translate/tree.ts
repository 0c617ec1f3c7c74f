import { lexTsql, type Token } from './lexer.ts';

/** A parenthesised group of nodes; `close` is missing when the text never closed it. */
export interface Group {
  kind: 'group';
  open: Token;
  close: Token | undefined;
  items: Node[];
}

export type Node = Token | Group;

export function isGroup(node: Node | undefined): node is Group {
  return node !== undefined && node.kind === 'group';
}

/** Upper-cased word text, or '' for anything that is not a plain word. */
export function word(node: Node | undefined): string {
  return node !== undefined && node.kind === 'word' ? node.text.toUpperCase() : '';
}

export function isPunct(node: Node | undefined, text: string): boolean {
  return node !== undefined && (node.kind === 'punctuation' || node.kind === 'operator') && node.text === text;
}

/** Whether the node names something: a plain word, a [bracketed] or "quoted" identifier. */
export function isIdentLike(node: Node | undefined): node is Token {
  return node !== undefined && (node.kind === 'word' || node.kind === 'bracket_identifier' || node.kind === 'quoted_identifier');
}

/** First source offset covered by a node. */
export function startOf(node: Node): number {
  return node.kind === 'group' ? node.open.start : node.start;
}

/** Offset just past a node. */
export function endOf(node: Node): number {
  if (node.kind !== 'group') return node.end;
  if (node.close) return node.close.end;
  const last = node.items[node.items.length - 1];
  return last ? endOf(last) : node.open.end;
}

/** Lexes T-SQL, drops white space and comments, and nests parentheses. Unbalanced `)` stay tokens. */
export function parseTree(sql: string): Node[] {
  return nestTokens(lexTsql(sql));
}

/** Drops white space and comments from a token list and nests parentheses. */
export function nestTokens(all: readonly Token[]): Node[] {
  const tokens = all.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment');
  const root: Node[] = [];
  const stack: Group[] = [];
  for (const tok of tokens) {
    const target = stack.length > 0 ? (stack[stack.length - 1] as Group).items : root;
    if (tok.kind === 'punctuation' && tok.text === '(') {
      const group: Group = { kind: 'group', open: tok, close: undefined, items: [] };
      target.push(group);
      stack.push(group);
    } else if (tok.kind === 'punctuation' && tok.text === ')' && stack.length > 0) {
      (stack.pop() as Group).close = tok;
    } else {
      target.push(tok);
    }
  }
  return root;
}

/** Splits a node list at top-level commas. */
export function splitCommas(nodes: readonly Node[]): Node[][] {
  const parts: Node[][] = [[]];
  for (const n of nodes) {
    if (isPunct(n, ',')) parts.push([]);
    else (parts[parts.length - 1] as Node[]).push(n);
  }
  return parts;
}

/** Index of the first node at this level that is one of the given upper-case words, from `from`. */
export function findWord(nodes: readonly Node[], words: readonly string[], from = 0): number {
  for (let i = from; i < nodes.length; i++) if (words.includes(word(nodes[i]))) return i;
  return -1;
}

/** A node's source text for error messages (`(` for a group, '' for nothing). */
export function nodeText(node: Node | undefined): string {
  if (node === undefined) return '';
  return node.kind === 'group' ? '(' : node.text;
}
