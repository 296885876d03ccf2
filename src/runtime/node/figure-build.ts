/**
 * Figures rendered at build time: the book's machine booted headless in Node,
 * the figure's `typed` commands run at its shell, the view taken through the
 * inspection channel and drawn by the figure's renderer (src/figures/). The
 * page then shows the figure before its machine boots, without JavaScript and
 * in print (src/runtime/browser/components/Figure.astro).
 *
 * The machine is the page's: the same kernel sources, user programs and book
 * disk as the machine worker boots (the virtual:cotton-kernel module, or the
 * repository's files in tests), in fast mode, so a figure of a freshly booted
 * machine is the figure the page redraws once its own machine has booted.
 * Boots are cached per script (commands, command line, RAM): the figures of one
 * chapter usually share one boot.
 */
import type { BootModule } from '../../emu/firmware';
import { buildBookDisk, type DiskFile } from '../host/book-disk';
import { KernelInspector, type ViewRequest } from '../host/kernel-inspection';
import type { KernelSources } from '../host/kernel-loader';
import { MachineHost, primeTranspileCache } from '../host/machine-host';
import { type Figure, renderFigure } from '../../figures/index';

/** What a <Figure> asks for. */
export interface FigureRequest extends ViewRequest {
  /** Commands typed at the shell, one after another, before the view is taken. */
  readonly typed?: readonly string[];
  /** The chapter machine's command line and RAM, if it sets them. */
  readonly cmdline?: string;
  readonly ramMiB?: number;
}

/** The book's machine: what the machine worker boots. */
export interface BookMachine {
  readonly sources: KernelSources;
  /** The sources transpiled ahead (the virtual module has them), so that booting transpiles nothing. */
  readonly modules?: Readonly<Record<string, string>>;
  readonly programs: readonly BootModule[];
  readonly diskFiles: readonly DiskFile[];
}

/** A machine that ran a script, kept to take more views of it. */
interface ScriptedMachine {
  readonly host: MachineHost;
  readonly inspector: KernelInspector;
}

/** Machines kept at once: each holds its RAM (128 MiB by default). */
const CACHED_MACHINES = 2;
/** Virtual time a command may take before the build gives up on it. */
const COMMAND_LIMIT_MS = 60_000;

export class FigureBuilder {
  private readonly machines = new Map<string, ScriptedMachine>();
  private bookDisk: Uint8Array | null = null;

  constructor(private readonly book: BookMachine) {
    if (book.modules) primeTranspileCache(book.sources, book.modules);
  }

  /** Render the figure `request` asks for, with `id` as its SVG id prefix; throws if the view fails. */
  render(request: FigureRequest, id: string): Figure {
    const { inspector } = this.machineFor(request);
    const answer = inspector.inspect({ view: request.view, args: request.args ?? {} });
    if (!answer.ok) throw new Error(`figure ${request.view}: ${answer.reason}`);
    return renderFigure(request.view, answer.data, { id, uptimeMicros: answer.uptimeMicros });
  }

  private machineFor(request: FigureRequest): ScriptedMachine {
    const key = JSON.stringify([request.typed ?? [], request.cmdline ?? '', request.ramMiB ?? 0]);
    const cached = this.machines.get(key);
    if (cached) {
      this.machines.delete(key); // most recently used last
      this.machines.set(key, cached);
      return cached;
    }
    const machine = this.boot(request);
    this.machines.set(key, machine);
    if (this.machines.size > CACHED_MACHINES) {
      this.machines.delete(this.machines.keys().next().value!);
    }
    return machine;
  }

  private boot(request: FigureRequest): ScriptedMachine {
    const { sources, programs, diskFiles } = this.book;
    this.bookDisk ??= buildBookDisk(programs, { files: diskFiles });
    const inspector = new KernelInspector();
    const host = new MachineHost({
      sources,
      programs,
      disk: { bytes: this.bookDisk.slice() },
      commandLine: request.cmdline,
      ramMiB: request.ramMiB,
      tap: inspector.tap,
    });
    host.runUntilPrompt(COMMAND_LIMIT_MS);
    for (const line of request.typed ?? []) host.command(line, COMMAND_LIMIT_MS);
    return { host, inspector };
  }
}

let shared: FigureBuilder | null = null;

/** One builder for a whole build of the book (its boots are shared by every page). */
export function sharedFigureBuilder(book: BookMachine): FigureBuilder {
  shared ??= new FigureBuilder(book);
  return shared;
}
