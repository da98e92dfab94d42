/**
 * Tidemark's one glob dialect, for every filter (`--id`, `--by`, alert rules): SQLite's GLOB, so a pattern
 * means the same whether the index or the code matches it. `*` matches any run of characters (`/`, `:` and `.`
 * included), `?` any one character, `[abc]`, `[a-z]` and `[^a-z]` one character of a class (a `]` first in the
 * class is itself; a class never closed matches nothing); everything else matches itself, case-sensitive.
 *
 * @example
 * globMatches('arn:aws:sts::*:assumed-role/deploy-*', 'arn:aws:sts::123456789012:assumed-role/deploy-ci/run-7'); // true
 */
export function globMatches(pattern: string, text: string): boolean {
  return globRegExp(pattern).test(text);
}

const compiled = new Map<string, RegExp>();

/** The regular expression of a glob (cached): anchored at both ends. */
export function globRegExp(pattern: string): RegExp {
  let regExp = compiled.get(pattern);
  if (!regExp) {
    regExp = new RegExp(`^${globSource(pattern)}$`, 'su');
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, regExp);
  }
  return regExp;
}

/** Whether a pattern holds a wildcard or a class (anything but itself can match it). */
export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function globSource(pattern: string): string {
  const chars = [...pattern];
  let source = '';
  for (let at = 0; at < chars.length; at++) {
    const char = chars[at] as string;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = classEnd(chars, at);
      // A class never closed matches nothing, as in SQLite.
      if (end < 0) return '(?!)';
      else {
        source += classSource(chars.slice(at + 1, end));
        at = end;
      }
    } else source += escapeChar(char);
  }
  return source;
}

/** Where the class opened at `open` closes: a `]` right after `[` or `[^` belongs to the class. -1 when never. */
function classEnd(chars: readonly string[], open: number): number {
  let at = open + 1;
  if (chars[at] === '^') at++;
  if (chars[at] === ']') at++;
  for (; at < chars.length; at++) if (chars[at] === ']') return at;
  return -1;
}

function classSource(body: readonly string[]): string {
  const negated = body[0] === '^';
  const members = negated ? body.slice(1) : body;
  const parts: string[] = [];
  for (let at = 0; at < members.length; at++) {
    const char = members[at] as string;
    const next = members[at + 2];
    if (members[at + 1] === '-' && next !== undefined) {
      // A range whose ends are out of order matches nothing, as in SQLite.
      if (char <= next) parts.push(`${escapeClassChar(char)}-${escapeClassChar(next)}`);
      at += 2;
    } else parts.push(escapeClassChar(char));
  }
  return `[${negated ? '^' : ''}${parts.join('')}]`;
}

function escapeChar(char: string): string {
  return /[.+^${}()|[\]\\/?*]/.test(char) ? `\\${char}` : char;
}

function escapeClassChar(char: string): string {
  return /[\]\\^-]/.test(char) ? `\\${char}` : char;
}
