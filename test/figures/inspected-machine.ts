/**
 * For the figures' tests: the book's machine booted in Node as the page boots
 * it (the repository's kernel, programs and book disk), with the inspection
 * channel linked in, booted once per test file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelInspector, type ViewRequest } from '../../src/runtime/host/kernel-inspection';
import type { MachineHost } from '../../src/runtime/host/machine-host';
import {
  bootFromRepo,
  freshBookDisk,
  repoDiskFiles,
  repoKernelSources,
  repoUserPrograms,
} from '../../src/runtime/node/node-host';
import { type BookMachine, FigureBuilder } from '../../src/runtime/node/figure-build';

/** How long a test may take to boot the book's machine (a loaded 2-core machine takes seconds). */
export const BOOT_TIMEOUT_MS = 60_000;

/** Text without the terminal's colours and OSC 133 marks. */
export const plain = (text: string): string =>
  text.replace(/\x1b\][^\x07]*\x07|\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

export interface InspectedMachine {
  readonly host: MachineHost;
  /** The view's data; fails the test if the kernel refuses. */
  view<T>(request: ViewRequest): T;
  /** A shell command's output, without colours, marks or the echoed line. */
  command(line: string): string;
}

export function bookMachine(): BookMachine {
  return {
    sources: repoKernelSources(),
    programs: repoUserPrograms(),
    diskFiles: repoDiskFiles(),
  };
}

export function figureBuilder(): FigureBuilder {
  return new FigureBuilder(bookMachine());
}

/** Boot the book's machine with its disk, to its first prompt. */
export function bootInspected(): InspectedMachine {
  const inspector = new KernelInspector();
  const host = bootFromRepo({ ...freshBookDisk(), tap: inspector.tap });
  host.runUntilPrompt();
  return {
    host,
    view<T>(request: ViewRequest): T {
      const answer = inspector.inspect(request);
      if (!answer.ok) throw new Error(`view ${request.view}: ${answer.reason}`);
      return answer.data as T;
    },
    command(line: string): string {
      const text = plain(host.command(line));
      return text.slice(text.indexOf('\n') + 1, text.lastIndexOf('\n') + 1);
    },
  };
}

/** The shape of a JSON value: its keys and the types of its leaves, arrays by their first item. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return [value.length > 0 ? shapeOf(value[0]) : 'empty'];
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return typeof value;
}

/** A view's data captured from a Node boot, for golden figures (test/figures/fixtures). */
export function fixture<T>(name: string): T {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8'),
  ) as T;
}
