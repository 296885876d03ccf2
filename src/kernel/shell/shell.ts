/**
 * The kernel shell: a read–eval–print loop on the serial console.
 *
 * Models CottonOS's kernel shell, the one that runs before any GUI. It is a
 * kernel thread: it blocks until the console has input, feeds each byte to
 * the line editor, and on Enter splits the line into words and runs the
 * command from the table in ./commands.ts. It ends when its terminal hangs
 * up (a Terminal window on the desktop is closed).
 *
 * The shell marks its output with OSC 133 "semantic prompt" sequences (from
 * FinalTerm, now understood by most terminals): A before the prompt, B after
 * it, C when a command starts, D;<status> when it ends. Terminals use them to
 * jump between commands; the book's recorder uses them to cut a session into
 * commands with their exit statuses, straight from the byte stream.
 */
import type { Kernel } from '../proc/kernel';
import { BEL, BLUE, BOLD, CLEAR_SCREEN, GREEN, OSC, RESET } from '../lib/ansi';
import type { ThreadBody } from '../sched/scheduler';
import { EXIT_FAILURE, EXIT_SUCCESS } from './command';
import type { CommandResult, ExitStatus, ShellCommand, ShellContext } from './command';
import { CommandLineError, splitWords } from './command-line';
import { COMMANDS } from './commands';
import { LineEditor } from './line-editor';
import { reportFinishedJobs, runProgram } from './process-commands';

// #region osc133
// OSC 133 semantic prompt marks.
const MARK_PROMPT_START = `${OSC}133;A${BEL}`;
const MARK_COMMAND_START = `${OSC}133;B${BEL}`;
const MARK_COMMAND_EXECUTED = `${OSC}133;C${BEL}`;
function markCommandFinished(status: ExitStatus): string {
  return `${OSC}133;D;${status}${BEL}`;
}

/** "cotton:/home/reader$ " in colour: the host name and the working directory. */
function prompt(cwd: string): string {
  return `${BOLD}${GREEN}cotton${RESET}:${BOLD}${BLUE}${cwd}${RESET}$ `;
}
// #endregion osc133

/** The shell thread's body. */
export function* shellThread(
  kernel: Kernel,
  commands: readonly ShellCommand[] = COMMANDS,
): ThreadBody {
  const editor = new LineEditor();
  const write = (text: string) => kernel.console.write(text);
  const shell: ShellContext = {
    kernel,
    write,
    println: (text = '') => write(`${text}\r\n`),
    commands,
    history: () => editor.historyEntries(),
    cwd: '/',
  };
  const showPrompt = () => {
    reportFinishedJobs(shell);
    write(`${MARK_PROMPT_START}${prompt(shell.cwd)}${MARK_COMMAND_START}`);
  };

  showPrompt();
  while (!kernel.console.hungUp) {
    const event = editor.feed(yield* kernel.console.readByte());
    switch (event.kind) {
      case 'echo':
        if (event.text) write(event.text);
        break;
      case 'line':
        write('\r\n');
        yield* runLine(shell, event.line);
        showPrompt();
        break;
      case 'cancel':
        write('^C\r\n');
        showPrompt();
        break;
      case 'clear-screen':
        write(CLEAR_SCREEN);
        showPrompt();
        write(editor.redraw());
        break;
    }
  }
}

/** Run one command line, framed by the C and D marks. An empty line runs nothing. */
function* runLine(shell: ShellContext, line: string): Generator<void, void, void> {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    shell.write(MARK_COMMAND_EXECUTED);
    shell.println(`shell: ${error.message}`);
    shell.write(markCommandFinished(EXIT_FAILURE));
    return;
  }
  if (words.length === 0) return;
  shell.write(MARK_COMMAND_EXECUTED);
  const status = yield* runCommand(shell, words[0]!, words.slice(1));
  shell.write(markCommandFinished(status));
}

/**
 * Run built-in `name` from the table, or else the program /bin/NAME; a thrown
 * error is a kernel bug and is left to panic.
 */
function* runCommand(
  shell: ShellContext,
  name: string,
  args: string[],
): Generator<void, ExitStatus, void> {
  const command = shell.commands.find((c) => c.name === name);
  if (!command) return yield* runProgram(shell, [name, ...args]);
  const result: CommandResult = command.run(args, shell);
  const status = isGenerator(result) ? yield* result : result;
  return status ?? EXIT_SUCCESS;
}

function isGenerator(value: CommandResult): value is Generator<void, ExitStatus | void, void> {
  return typeof value === 'object' && value !== null && typeof value.next === 'function';
}
