/**
 * The exercise probe: what the reader's function was doing when a check failed.
 *
 * When a reader's code makes the kernel panic, the panic's stack often points
 * far from their function (an empty memory map panics later, while the page
 * tables are built). So a check's machine links the exercise's file with an
 * epilogue that wraps the function(s) of the exercise region, and the probe
 * records each one's last call: its arguments, and what it returned or threw.
 * The check's failure message starts with that (`describeCalls`).
 *
 * The epilogue is JavaScript run at the end of the module's body, in its
 * scope (kernel-loader.ts, KernelTap), so it reaches functions the module
 * calls by their local name as well as exported ones and class methods. The
 * kernel image is built from the unprobed modules: the probe changes nothing
 * the machine sees. Arguments are kept as they are and described when the
 * report is written, so recording costs little on hot paths (translate,
 * allocate).
 */
import type { KernelTap } from './kernel-loader';

/** The name under which the epilogue `require`s its probe. */
const PROBE_MODULE = 'cotton:exercise-probe';

/** A function of an exercise region: a module-level function, or a method of a class. */
export interface ProbeTarget {
  readonly name: string;
  /** The class whose prototype holds the method; absent for a module-level function. */
  readonly className?: string;
}

interface Call {
  readonly args: readonly unknown[];
  outcome: 'running' | 'returned' | 'threw';
  value: unknown;
}

interface CallLog {
  readonly target: ProbeTarget;
  calls: number;
  last: Call | null;
}

const DECLARATION_KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'catch',
  'return',
  'function',
]);
const FUNCTION_DECLARATION =
  /^(?:export\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/;
const METHOD_DECLARATION =
  /^(?:(?:private|public|protected|static|async|override)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*[<(]/;
const CLASS_DECLARATION = /^(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)/;

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

/** The function or method declared on line `index`, if it declares one. */
function declarationOn(lines: readonly string[], index: number): ProbeTarget | null {
  const line = lines[index]!;
  const text = line.trim();
  const fn = FUNCTION_DECLARATION.exec(text);
  if (fn && indentation(line) === 0) return { name: fn[1]! };
  const method = METHOD_DECLARATION.exec(text);
  if (!method || indentation(line) === 0 || DECLARATION_KEYWORDS.has(method[1]!)) return null;
  if (!/[{(,]$/.test(text)) return null;
  for (let i = index - 1; i >= 0; i--) {
    const owner = CLASS_DECLARATION.exec(lines[i]!);
    if (owner) return { name: method[1]!, className: owner[1]! };
    if (indentation(lines[i]!) === 0 && lines[i]!.trim() && !lines[i]!.startsWith('}')) break;
  }
  return null;
}

/**
 * The functions to probe for region `region` of `source`: those declared in
 * it at the region's own indentation, or, for a region inside a function body
 * (a few statements), the function around it.
 */
export function regionFunctions(source: string, region: string): ProbeTarget[] {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region exercise:${region}`);
  if (start < 0) return [];
  const indent = indentation(lines[start]!);
  const targets: ProbeTarget[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i]!.trim() === `// #endregion exercise:${region}`) break;
    if (indentation(lines[i]!) !== indent) continue;
    const target = declarationOn(lines, i);
    if (target) targets.push(target);
  }
  if (targets.length > 0) return targets;
  for (let i = start - 1; i >= 0; i--) {
    if (!lines[i]!.trim() || indentation(lines[i]!) >= indent) continue;
    const around = declarationOn(lines, i);
    return around ? [around] : [];
  }
  return [];
}

function isGeneratorFunction(fn: Function): boolean {
  return Object.prototype.toString.call(fn) === '[object GeneratorFunction]';
}

/** Records the calls of the probed functions of one boot. */
export class ExerciseProbe {
  private readonly records: CallLog[];

  constructor(
    readonly file: string,
    targets: readonly ProbeTarget[],
  ) {
    this.records = targets.map((target) => ({ target, calls: 0, last: null }));
  }

  /** The tap that links this probe into a kernel. */
  tap(): KernelTap {
    return {
      epilogues: { [this.file]: this.epilogue() },
      libraries: { [PROBE_MODULE]: this },
    };
  }

  /** JavaScript that replaces each probed function with `wrap(index, original)`; it never throws. */
  private epilogue(): string {
    const statements = this.records.map(({ target }, index) => {
      if (target.className) {
        const holder = `${target.className}.prototype`;
        return `if (typeof ${target.className} === 'function' && typeof ${holder}.${target.name} === 'function') ${holder}.${target.name} = probe.wrap(${index}, ${holder}.${target.name});`;
      }
      const exported = `if (Object.prototype.hasOwnProperty.call(exports, '${target.name}')) exports.${target.name} = ${target.name};`;
      return `if (typeof ${target.name} === 'function') { ${target.name} = probe.wrap(${index}, ${target.name}); ${exported} }`;
    });
    const guarded = statements.map((statement) => `try { ${statement} } catch {}`);
    return `;(function (probe) { ${guarded.join(' ')} })(require('${PROBE_MODULE}'));`;
  }

  /** `original`, recording each call in record `index`; a generator is followed to its return. */
  wrap(index: number, original: Function): Function {
    const record = this.records[index]!;
    const begin = (args: unknown[]): Call => {
      const call: Call = { args, outcome: 'running', value: undefined };
      record.calls++;
      record.last = call;
      return call;
    };
    const end = (call: Call, outcome: 'returned' | 'threw', value: unknown) => {
      call.outcome = outcome;
      call.value = value;
    };
    const wrapped = isGeneratorFunction(original)
      ? function* (this: unknown, ...args: unknown[]) {
          const call = begin(args);
          try {
            const value: unknown = yield* original.apply(this, args);
            end(call, 'returned', value);
            return value;
          } catch (error) {
            end(call, 'threw', error);
            throw error;
          }
        }
      : function (this: unknown, ...args: unknown[]) {
          const call = begin(args);
          try {
            const value: unknown = original.apply(this, args);
            end(call, 'returned', value);
            return value;
          } catch (error) {
            end(call, 'threw', error);
            throw error;
          }
        };
    Object.defineProperty(wrapped, 'name', { value: original.name });
    Object.defineProperty(wrapped, 'length', { value: original.length });
    return wrapped;
  }

  /** One line per probed function: its last call and how it ended; null when nothing is probed. */
  describeCalls(): string | null {
    if (this.records.length === 0) return null;
    return this.records.map(describeRecord).join('\n');
  }
}

function describeRecord({ target, calls, last }: CallLog): string {
  if (!last) return `Your ${target.name}() was never called.`;
  const call = `${target.name}(${last.args.map((arg) => describeValue(arg)).join(', ')})`;
  const times = calls === 1 ? 'once' : `${calls} times`;
  const prefix = `Your ${target.name}() was called ${times}; the last call, ${call},`;
  if (last.outcome === 'running') return `${prefix} was still running when the machine stopped.`;
  if (last.outcome === 'threw') return `${prefix} threw ${describeError(last.value)}.`;
  return `${prefix} returned ${describeValue(last.value)}.`;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return describeValue(error);
}

const MAX_ITEMS = 4;
const MAX_STRING = 60;

/** A short, readable rendering of a value, at most two levels deep. */
export function describeValue(value: unknown, depth = 0): string {
  try {
    switch (typeof value) {
      case 'number':
        return Number.isInteger(value) && Math.abs(value) >= 0x1000
          ? `${value < 0 ? '-' : ''}0x${Math.abs(value).toString(16)}`
          : String(value);
      case 'bigint':
        return `0x${value.toString(16)}n`;
      case 'string':
        return JSON.stringify(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value);
      case 'function':
        return `function ${value.name || '(anonymous)'}`;
      case 'object':
        return value === null ? 'null' : describeObject(value, depth);
      default:
        return String(value);
    }
  } catch {
    return '(a value that cannot be shown)';
  }
}

function describeObject(value: object, depth: number): string {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    if (items.length === 0) return '[]';
    if (depth >= 2) return `[${items.length} ${items.length === 1 ? 'item' : 'items'}]`;
    const shown = items.slice(0, MAX_ITEMS).map((item) => describeValue(item, depth + 1));
    const more = items.length > MAX_ITEMS ? `, … ${items.length} items in all` : '';
    return `[${shown.join(', ')}${more}]`;
  }
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const className = prototype?.constructor?.name;
  if (prototype !== null && prototype !== Object.prototype) return `${className ?? 'object'} {…}`;
  if (depth >= 2) return '{…}';
  const entries = Object.entries(value);
  const shown = entries
    .slice(0, MAX_ITEMS)
    .map(([key, item]) => `${key}: ${describeValue(item, depth + 1)}`);
  const more = entries.length > MAX_ITEMS ? ', …' : '';
  return `{ ${shown.join(', ')}${more} }`;
}
