/**
 * The toolbar's Capture button: the machine's network frames since it booted,
 * saved as a pcap file that Wireshark and tshark open (the worker keeps them,
 * capture-buffer.ts).
 */
import type { MachineSession } from './machine-client';

export const CAPTURE_FILE_NAME = 'cottonos-network.pcap';

export async function downloadCapture(
  session: MachineSession | null,
  notice: (text: string, tone?: 'error') => void,
): Promise<void> {
  const capture = session ? await session.networkCapture() : null;
  if (!capture) {
    notice(
      'There is no running machine whose network could be saved. Press Reboot first.',
      'error',
    );
    return;
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(
    new Blob([capture.bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.tcpdump.pcap' }),
  );
  link.download = CAPTURE_FILE_NAME;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
  if (capture.truncated)
    notice('The capture was full: it ends at 8 MiB, and later frames are not in the file.');
}
