/**
 * Evaluates the small part of the Terraform expression language that variable `validation`
 * conditions use here, so tests can run each condition on values just inside and just
 * outside its range without a terraform binary: numbers, strings, lists, `var.<name>`,
 * `[for x in list : expr]`, comparisons, `&&`, `||`, `!`, and the functions floor, length,
 * contains, alltrue, can, regex, strcontains, endswith and format (%s only). Anything else throws, so a new construct is noticed
 * rather than misread.
 */
type Value = number | string | boolean | Value[];

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*")|(>=|<=|==|!=|&&|\|\||[<>!()[\],:])|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new Error(`cannot read the expression at: ${source.slice(start, start + 30)}`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return tokens;
}

const unquote = (literal: string): string =>
  literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c as "n" | "t"] ?? c);

/** Evaluates `${...}` (or a bare expression) with the given variables. */
export function evaluateCondition(condition: string, vars: Record<string, unknown>): boolean {
  const source = /^\$\{([\s\S]*)\}$/.exec(condition)?.[1] ?? condition;
  const tokens = tokenize(source);
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected}, found ${token ?? "the end"}`);
    return token;
  };

  type Scope = Record<string, Value>;
  // Parsing yields closures so a `for` body can be evaluated once per element.
  type Node = (scope: Scope) => Value;

  const binary = (next: () => Node, operators: string[], apply: (op: string, a: Value, b: Value) => Value) => (): Node => {
    let left = next();
    while (operators.includes(peek())) {
      const op = take();
      const right = next();
      const l = left;
      left = (scope) => apply(op, l(scope), right(scope));
    }
    return left;
  };
  const num = (v: Value): number => {
    if (typeof v !== "number") throw new Error(`expected a number, got ${JSON.stringify(v)}`);
    return v;
  };
  const bool = (v: Value): boolean => {
    if (typeof v !== "boolean") throw new Error(`expected a bool, got ${JSON.stringify(v)}`);
    return v;
  };
  const str = (v: Value): string => {
    if (typeof v !== "string") throw new Error(`expected a string, got ${JSON.stringify(v)}`);
    return v;
  };
  const list = (v: Value): Value[] => {
    if (!Array.isArray(v)) throw new Error(`expected a list, got ${JSON.stringify(v)}`);
    return v;
  };

  const functions: Record<string, (args: Node[], scope: Scope) => Value> = {
    floor: ([x], scope) => Math.floor(num(x(scope))),
    length: ([x], scope) => list(x(scope)).length,
    contains: ([l, x], scope) => list(l(scope)).some((item) => JSON.stringify(item) === JSON.stringify(x(scope))),
    alltrue: ([l], scope) => list(l(scope)).every((item) => bool(item)),
    can: ([x], scope) => {
      try {
        x(scope);
        return true;
      } catch {
        return false;
      }
    },
    strcontains: ([text, part], scope) => str(text(scope)).includes(str(part(scope))),
    endswith: ([text, suffix], scope) => str(text(scope)).endsWith(str(suffix(scope))),
    // Only the %s verb: anything else throws rather than being misread.
    format: ([spec, ...args], scope) => {
      const values = args.map((arg) => str(arg(scope)));
      const out = str(spec(scope)).replace(/%(.)/g, (_, verb: string) => {
        if (verb !== "s" || values.length === 0) throw new Error(`unsupported format verb %${verb}`);
        return values.shift()!;
      });
      return out;
    },
    // Terraform's regex fails when nothing matches; can() turns that into false.
    regex: ([pattern, text], scope) => {
      const match = new RegExp(String(pattern(scope))).exec(String(text(scope)));
      if (!match) throw new Error("no match");
      return match[0];
    },
  };

  const primary = (): Node => {
    const token = take();
    if (token === undefined) throw new Error("unexpected end of expression");
    if (/^\d/.test(token)) return () => Number(token);
    if (token.startsWith('"')) return () => unquote(token);
    if (token === "true" || token === "false") return () => token === "true";
    if (token === "!") {
      const operand = primary();
      return (scope) => !bool(operand(scope));
    }
    if (token === "(") {
      const inner = or();
      take(")");
      return inner;
    }
    if (token === "[") {
      if (peek() === "for") {
        take("for");
        const name = take();
        take("in");
        const source = or();
        take(":");
        const body = or();
        take("]");
        return (scope) => list(source(scope)).map((item) => body({ ...scope, [name]: item }));
      }
      const items: Node[] = [];
      while (peek() !== "]") {
        items.push(or());
        if (peek() === ",") take(",");
      }
      take("]");
      return (scope) => items.map((item) => item(scope));
    }
    if (token.startsWith("var.")) {
      const name = token.slice(4);
      return () => {
        if (!(name in vars)) throw new Error(`no value for var.${name}`);
        return vars[name] as Value;
      };
    }
    if (peek() === "(") {
      const fn = functions[token];
      if (!fn) throw new Error(`unsupported function ${token}()`);
      take("(");
      const args: Node[] = [];
      while (peek() !== ")") {
        args.push(or());
        if (peek() === ",") take(",");
      }
      take(")");
      return (scope) => fn(args, scope);
    }
    return (scope) => {
      if (!(token in scope)) throw new Error(`unknown name ${token}`);
      return scope[token];
    };
  };
  const comparison = binary(primary, [">=", "<=", ">", "<", "==", "!="], (op, a, b) => {
    if (op === "==") return JSON.stringify(a) === JSON.stringify(b);
    if (op === "!=") return JSON.stringify(a) !== JSON.stringify(b);
    const [x, y] = [num(a), num(b)];
    return op === ">=" ? x >= y : op === "<=" ? x <= y : op === ">" ? x > y : x < y;
  });
  const and = binary(comparison, ["&&"], (_, a, b) => bool(a) && bool(b));
  const or = binary(and, ["||"], (_, a, b) => bool(a) || bool(b));

  const root = or();
  if (position !== tokens.length) throw new Error(`unexpected ${tokens[position]} in ${source}`);
  return bool(root({}));
}
