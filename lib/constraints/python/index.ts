/**
 * Python (CPython 3.x `str`, `re` and `json`) semantics that the IFEval checks depend on, written for
 * JavaScript strings (spec §3). Everything here works on code points, never on UTF-16 units,
 * unless a function says otherwise.
 *
 * - `\s`, `str.isspace()` and `str.strip()` use Python's whitespace set (which is not JS's).
 * - `\w` is `[\p{L}\p{N}_]` (letters and numbers, not combining marks); `\b` is built from it.
 * - `isupper()` / `islower()` follow the Unicode Uppercase / Lowercase / Lt properties.
 * - `pyRegex()` translates a Python regular expression (the checks' fixed patterns and the
 *   user-supplied, unescaped keywords) into an equivalent JS `RegExp`.
 * - `pyJsonLoads()` accepts exactly what `json.loads` accepts (including NaN / Infinity).
 * - `pyJsonDumps()` writes what `json.dumps` writes with default arguments (", " / ": " separators,
 *   ASCII-only output).
 */
export * from "./json.ts";
export * from "./re.ts";
export * from "./str.ts";
