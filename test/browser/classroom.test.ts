/**
 * The classroom in real browsers: the classroom server (started here on the
 * built book) serves a chapter; the teacher presses Share on its machine and
 * gets a room link; a student's page (phone-sized) opens it and sees the
 * teacher's terminal, at once for what was already on screen (the relay's
 * keyframe) and live for what follows; a late joiner sees the current screen
 * at once; the keyboard handed to the student types into the teacher's machine.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClassroom, type ClassroomServer } from '../../src/classroom/server';
import {
  collectPageErrors,
  countPrompts,
  launchChromium,
  typeInTerminal,
  waitForTerminal,
  waitForSpareTime,
} from './book';

const DIST = process.env.CLASSROOM_DIST ?? join(import.meta.dirname, '..', '..', 'dist');

let browser: Browser;
let server: ClassroomServer;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startClassroom({ dist: DIST, port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
});

async function newPage(viewport: {
  width: number;
  height: number;
}): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  return { page, errors: collectPageErrors(page) };
}

function roomText(page: Page): Promise<string> {
  return page.locator('cotton-room').evaluate(async (room) => {
    await customElements.whenDefined('cotton-room');
    return (room as HTMLElement & { terminalText(): string }).terminalText();
  });
}

async function waitForRoom(
  page: Page,
  test: (text: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await roomText(page);
    if (test(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for the room's terminal; it shows:\n${text}`);
}

/** The last `count` non-empty lines, right-trimmed: what both screens end with. */
function tail(text: string, count: number): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .slice(-count);
}

describe('the classroom', () => {
  it("shares the teacher's machine: a student sees the same terminal, live, and a late joiner sees the current screen at once", async () => {
    const teacher = await newPage({ width: 1280, height: 1000 });
    await teacher.page.goto(`${server.url}/boot/`);
    await waitForTerminal(teacher.page, (text) => countPrompts(text) > 0);
    await teacher.page.click('cotton-machine [data-action="share"]');
    const linkField = teacher.page.locator('cotton-machine .cs-link');
    await linkField.waitFor({ timeout: 15_000 });
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${server.url}/room/\\?id=[a-z2-9]{8}$`));
    expect(await teacher.page.locator('cotton-machine .cs-qr svg').count()).toBe(1);

    // A student on a phone-sized page: the boot messages and the prompt are there at once (the keyframe).
    const student = await newPage({ width: 390, height: 844 });
    await student.page.goto(link);
    const joinedAt = Date.now();
    await waitForRoom(student.page, (text) => countPrompts(text) > 0 && text.includes('CottonOS'));
    console.log(
      `the student saw the teacher's screen ${Date.now() - joinedAt} ms after opening the link`,
    );
    await teacher.page.locator('cotton-machine .cs-count', { hasText: '1 watching' }).waitFor();

    // Live: what the teacher types and the machine prints reaches the student.
    await typeInTerminal(teacher.page, 'echo classroom-hello\n');
    const teacherText = await waitForTerminal(
      teacher.page,
      (text) => /^classroom-hello$/m.test(text) && countPrompts(text) >= 2,
    );
    const typedAt = Date.now();
    const studentText = await waitForRoom(
      student.page,
      (text) => /^classroom-hello$/m.test(text) && countPrompts(text) >= 2,
    );
    console.log(
      `the echo reached the student ${Date.now() - typedAt} ms after the teacher's terminal showed it`,
    );
    expect(tail(studentText, 6)).toEqual(tail(teacherText, 6));
    expect(await student.page.locator('cotton-room .cr-status').getAttribute('data-status')).toBe(
      'watching',
    );

    // A late joiner sees the current screen, including the echo, at once.
    const late = await newPage({ width: 800, height: 900 });
    await late.page.goto(link);
    const lateText = await waitForRoom(late.page, (text) => /^classroom-hello$/m.test(text), 5000);
    expect(tail(lateText, 6)).toEqual(tail(teacherText, 6));

    // The keyboard, handed to the first student, types into the teacher's machine.
    await teacher.page.locator('cotton-machine .cs-count', { hasText: '2 watching' }).waitFor();
    await teacher.page.locator('cotton-machine .cs-viewers li button').first().click();
    await student.page.locator('cotton-room .cr-keyboard').waitFor({ state: 'visible' });
    await student.page.locator('cotton-room .xterm-helper-textarea').focus();
    await student.page.keyboard.type('echo from-the-student\n');
    await waitForTerminal(teacher.page, (text) => /^from-the-student$/m.test(text));
    await waitForRoom(late.page, (text) => /^from-the-student$/m.test(text));

    expect(teacher.errors).toEqual([]);
    expect(student.errors).toEqual([]);
    expect(late.errors).toEqual([]);
  }, 120_000);

  it("plays a recording to the room: the students' player follows play, seek and pause", async () => {
    const teacher = await newPage({ width: 1280, height: 1000 });
    await teacher.page.goto(`${server.url}/boot/`);
    await waitForTerminal(teacher.page, (text) => countPrompts(text) > 0);
    await teacher.page.click('cotton-machine [data-action="share"]');
    const linkField = teacher.page.locator('cotton-machine .cs-link');
    await linkField.waitFor({ timeout: 15_000 });
    const student = await newPage({ width: 390, height: 844 });
    await student.page.goto(await linkField.inputValue());
    await waitForRoom(student.page, (text) => countPrompts(text) > 0);
    // The room has had its spare time before the teacher plays: the player comes after it.
    await waitForSpareTime(student.page);

    await teacher.page
      .locator('cotton-machine .cs-play button', { hasText: 'Play to the room' })
      .click();
    const teacherPlayer = teacher.page.locator('cotton-player').first();
    const src = await teacherPlayer.getAttribute('data-src');
    const studentPlayer = student.page.locator(`cotton-room cotton-player[data-src="${src}"]`);
    await studentPlayer.waitFor({ timeout: 15_000 });

    const state = (player: typeof teacherPlayer) =>
      player.evaluate((element) =>
        (
          element as HTMLElement & {
            state(): { loaded: boolean; playing: boolean; position: number };
          }
        ).state(),
      );
    await expect
      .poll(() => state(teacherPlayer).then((s) => s.loaded), { timeout: 15_000 })
      .toBe(true);
    await teacherPlayer.locator('[data-action="play"]').click();
    await expect
      .poll(() => state(studentPlayer).then((s) => s.playing), { timeout: 10_000 })
      .toBe(true);

    await teacherPlayer.evaluate((element) =>
      (element as HTMLElement & { seek(at: number): void }).seek(3),
    );
    await teacherPlayer.locator('[data-action="play"]').click(); // pause
    await expect
      .poll(() => state(studentPlayer).then((s) => s.playing), { timeout: 10_000 })
      .toBe(false);
    const [teacherAt, studentAt] = [
      (await state(teacherPlayer)).position,
      (await state(studentPlayer)).position,
    ];
    expect(Math.abs(teacherAt - studentAt)).toBeLessThan(1);
    expect(teacher.errors).toEqual([]);
    expect(student.errors).toEqual([]);
  }, 120_000);
});
