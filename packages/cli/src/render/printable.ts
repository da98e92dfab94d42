/**
 * Characters a terminal acts on instead of showing: C0 and C1 controls and DEL (line breaks, ESC starting escape
 * sequences, CSI), the line and paragraph separators, and the bidirectional overrides, embeddings and isolates
 * that reorder what follows them.
 */
const ACTING = /[\p{Cc}\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

/** The escapes people know, for the controls that have one. */
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` made safe to print on a terminal: each character a terminal would act on (see {@link ACTING}) becomes a
 * visible escape (`\n`, `\x1b`, `\u202e`), so that a name read from an account or a store can neither forge
 * output lines nor hide what follows it. Everything else, backslashes included, is left as it is, so escaping
 * twice changes nothing.
 *
 * @example
 * printable('report.pdf\n tidemark: store is consistent\x1b[2K'); // 'report.pdf\\n tidemark: store is consistent\\x1b[2K'
 */
export function printable(text: string): string {
  return text.replace(ACTING, escapeOne);
}

function escapeOne(character: string): string {
  const code = character.charCodeAt(0);
  return (
    NAMED[character] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}
