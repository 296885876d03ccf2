/**
 * The player's position on its timeline, and the terminal kept in step with
 * it. "At time x" means: every step at or before x has been written.
 *
 * Playing forward writes the steps the clock has passed; seeking restores
 * the nearest keyframe and writes the few steps after it, so a seek costs at
 * most a keyframe interval of output, however long the recording. The clock
 * itself (speed, requestAnimationFrame) belongs to the element: this file has
 * no DOM, and the seek tests drive it in Node.
 */
import { inOrder, keyframeBefore, type Keyframe, type ReplayTerminal } from './player-keyframes';
import type { PlayerTimeline } from './player-timeline';

export class PlayerEngine {
  /** Index of the next step to write. */
  private next = 0;
  private time = 0;

  constructor(
    readonly timeline: PlayerTimeline,
    private readonly keyframes: readonly Keyframe[],
    private readonly terminal: ReplayTerminal,
  ) {}

  get position(): number {
    return this.time;
  }

  get atEnd(): boolean {
    return this.time >= this.timeline.duration;
  }

  /** Play forward to `at` (never backwards: use seek). */
  advanceTo(at: number): void {
    const target = Math.min(Math.max(at, this.time), this.timeline.duration);
    const { steps } = this.timeline;
    while (this.next < steps.length && steps[this.next]!.at <= target) this.apply(this.next++);
    this.time = target;
  }

  /** Jump to `at`, forwards or backwards: restore the keyframe before it, replay the rest. */
  seek(at: number): void {
    const target = Math.min(Math.max(at, 0), this.timeline.duration);
    const keyframe = keyframeBefore(this.keyframes, target);
    // Forward within reach of the current position: no need to restore anything.
    if (target >= this.time && keyframe.next <= this.next) return this.advanceTo(target);
    inOrder(this.terminal, () => {
      this.terminal.reset();
      this.terminal.resize(keyframe.cols, keyframe.rows);
    });
    if (keyframe.state) this.terminal.write(keyframe.state);
    this.next = keyframe.next;
    this.time = keyframe.at;
    this.advanceTo(target);
  }

  /** Write the next step that changes the screen, and move to its time (the '.' key). */
  step(): void {
    const { steps } = this.timeline;
    if (this.next >= steps.length) return this.advanceTo(this.timeline.duration);
    this.advanceTo(steps[this.next]!.at);
  }

  private apply(index: number): void {
    const step = this.timeline.steps[index]!;
    if (step.kind === 'output') this.terminal.write(step.data);
    else inOrder(this.terminal, () => this.terminal.resize(step.cols, step.rows));
  }
}
