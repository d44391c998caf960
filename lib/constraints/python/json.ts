/**
 * Python `json` semantics: `pyJsonLoads()` accepts exactly what `json.loads` accepts (NaN and
 * Infinity too); `pyJsonDumps()` writes what `json.dumps` writes with default arguments.
 */

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export type PyJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

class JsonDecodeError extends Error {}

/**
 * Python `json.loads(text)` (CPython's C scanner, strict mode): succeeds exactly when Python's
 * would. Beyond JSON it accepts `NaN`, `Infinity` and `-Infinity`; like Python it rejects a BOM,
 * trailing commas, control characters inside strings and anything after the value except
 * whitespace (space, tab, LF, CR).
 */
export function pyJsonLoads(text: string): PyJsonResult {
  try {
    return { ok: true, value: new JsonParser(text).parseDocument() };
  } catch (err) {
    if (err instanceof JsonDecodeError) return { ok: false, error: err.message };
    if (err instanceof RangeError) return { ok: false, error: "maximum recursion depth exceeded" };
    throw err;
  }
}

/** CPython's number grammar (ASCII digits only in the C scanner); sticky. */
const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

class JsonParser {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(message: string): never {
    throw new JsonDecodeError(`${message}: char ${this.i}`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
  }

  parseDocument(): unknown {
    if (this.s.charCodeAt(0) === 0xfeff) this.fail("Unexpected UTF-8 BOM (decode using utf-8-sig)");
    this.ws();
    const value = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail("Extra data");
    return value;
  }

  private startsWith(word: string): boolean {
    return this.s.startsWith(word, this.i);
  }

  private value(): unknown {
    const s = this.s;
    const c = s[this.i];
    switch (c) {
      case '"':
        return this.string();
      case "{":
        return this.object();
      case "[":
        return this.array();
      case "n":
        if (this.startsWith("null")) return ((this.i += 4), null);
        break;
      case "t":
        if (this.startsWith("true")) return ((this.i += 4), true);
        break;
      case "f":
        if (this.startsWith("false")) return ((this.i += 5), false);
        break;
      case "N":
        if (this.startsWith("NaN")) return ((this.i += 3), NaN);
        break;
      case "I":
        if (this.startsWith("Infinity")) return ((this.i += 8), Infinity);
        break;
      case "-":
        if (this.startsWith("-Infinity")) return ((this.i += 9), -Infinity);
        break;
    }
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(s);
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    this.fail("Expecting value");
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
    let out = "";
    let chunkStart = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail("Unterminated string starting at");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("Invalid control character at");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(chunkStart, this.i);
      const e = s[this.i + 1];
      if (e === undefined) this.fail("Unterminated string starting at");
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (e in simple) {
        out += simple[e];
        this.i += 2;
      } else if (e === "u") {
        const hex = s.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("Invalid \\uXXXX escape");
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else this.fail("Invalid \\escape");
      chunkStart = this.i;
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      if (this.s[this.i] !== '"') this.fail("Expecting property name enclosed in double quotes");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("Expecting ':' delimiter");
      this.i++;
      this.ws();
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i];
      if (c === "}") {
        this.i++;
        return out;
      }
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.i++;
      this.ws();
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === "]") {
        this.i++;
        return out;
      }
      if (c !== ",") this.fail("Expecting ',' delimiter");
      this.i++;
      this.ws();
    }
  }
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** A JSON string literal as Python's `json.dumps` writes it (ensure_ascii: every non-printable-ASCII
 *  UTF-16 unit as a lowercase `\uXXXX`). */
export function pyJsonString(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/**
 * Python `json.dumps(value)` with default arguments, for strings, booleans, null, finite and
 * non-finite numbers, arrays and plain objects (keys in insertion order).
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pyJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : pyFloatRepr(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`)
      .join(", ")}}`;
  }
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}

/** Python `repr(float)`: shortest round-trip digits; exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const negative = mantissa!.startsWith("-");
  const digits = mantissa!.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac || "0"}`;
}
