/**
 * The host's end of the kernel's inspection channel
 * (src/kernel/inspect/inspection-channel.ts): asks the running kernel for a
 * view (a figure's data) between two slices of the machine.
 *
 * The kernel is linked afresh at every boot, so the channel is found anew each
 * time: the inspector is a KernelTap (kernel-loader.ts) whose epilogue hands the
 * freshly linked channel module to the inspector. The kernel image, and so
 * everything the machine sees, is the same with or without it.
 */
import type { InspectionAnswer } from '../../kernel/inspect/inspection-channel';
import type { ViewRequest } from '../../kernel/inspect/views';
import type { KernelTap } from './kernel-loader';

/** A view by name with its arguments, and the kernel's answer (src/kernel/inspect/). */
export type { InspectionAnswer, ViewRequest };

const CHANNEL_MODULE = 'src/kernel/inspect/inspection-channel.ts';
const INSPECTOR_LIBRARY = 'cotton:kernel-inspection';

interface ChannelExports {
  answerInspection?: (request: ViewRequest) => InspectionAnswer;
}

export class KernelInspector {
  private channel: ChannelExports | null = null;

  /** Link this into a MachineHost (BootOptions.tap): every boot then hands its channel over. */
  readonly tap: KernelTap = {
    epilogues: { [CHANNEL_MODULE]: `require('${INSPECTOR_LIBRARY}').attach(exports);` },
    libraries: {
      [INSPECTOR_LIBRARY]: { attach: (exports: ChannelExports) => this.attach(exports) },
    },
  };

  private attach(exports: ChannelExports): void {
    this.channel = exports;
  }

  /**
   * Take a view once the kernel lets it: a view refused only for now (a task
   * is changing what it shows, `busy`) is asked again after each `runOn()`,
   * which runs the machine on and says whether it did (false: it will not,
   * give the refusal). The figures of a running machine ask this way.
   */
  async inspectSettled(
    request: ViewRequest,
    runOn: () => Promise<boolean>,
  ): Promise<InspectionAnswer> {
    let answer = this.inspect(request);
    while (!answer.ok && answer.busy && (await runOn())) answer = this.inspect(request);
    return answer;
  }

  /** Take a view of the kernel as it is now; call it between slices, never from kernel code. */
  inspect(request: ViewRequest): InspectionAnswer {
    const answer = this.channel?.answerInspection;
    if (!answer) return { ok: false, view: request.view, reason: 'no kernel is running' };
    try {
      return answer({ view: request.view, ...(request.args ? { args: request.args } : {}) });
    } catch (error) {
      return { ok: false, view: request.view, reason: String(error) };
    }
  }
}
