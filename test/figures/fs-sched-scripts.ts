/**
 * The commands the CottonFS and Scheduler chapters type at the book's machine
 * before their figures are taken (the <Figure typed> of each chapter): the
 * figures' tests boot the same machine and type the same lines.
 */
export const CHAPTER_SCRIPTS = {
  cottonfs: ['fill /home/reader/notes.txt 300K'],
  scheduler: ['spin 300 A &', 'spin 300 B &', 'spin 300 C &', 'nice 8 4', 'sched 300'],
} as const;
