import { describe, expect, it } from 'vitest';
import {
  BROADCAST_MAC,
  formatIpv4Address,
  IPV4_BROADCAST,
  ipv4FromBytes,
  ipv4ToBytes,
  isInSubnet,
  macFromBytes,
  macToBytes,
  maskToPrefix,
  parseIpv4Address,
  parseMacAddress,
  prefixToMask,
} from '../../../../src/kernel/net/wire/addresses';

describe('IPv4 addresses', () => {
  it('parses dotted decimal into an unsigned 32-bit number', () => {
    expect(parseIpv4Address('10.0.2.15')).toBe(0x0a00020f);
    expect(parseIpv4Address('255.255.255.255')).toBe(IPV4_BROADCAST);
    expect(parseIpv4Address('192.168.0.1')).toBe(0xc0a80001);
    expect(parseIpv4Address('0.0.0.0')).toBe(0);
  });

  it('refuses anything that is not four parts 0-255 without leading zeros', () => {
    for (const text of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '1.2.3.-4',
      '1.2.3.a',
      '01.2.3.4',
      '1..2.3',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1e2.0.0.1',
      '0x1.2.3.4',
      '1.2.3.1000',
    ]) {
      expect(parseIpv4Address(text), text).toBeNull();
    }
  });

  it('formats and parses back', () => {
    for (const text of ['10.0.2.15', '255.255.255.255', '0.0.0.0', '192.168.100.200']) {
      expect(formatIpv4Address(parseIpv4Address(text)!)).toBe(text);
    }
  });

  it('reads and writes network byte order', () => {
    const out = new Uint8Array(6);
    ipv4ToBytes(0xc0a80001, out, 1);
    expect([...out]).toEqual([0, 192, 168, 0, 1, 0]);
    expect(ipv4FromBytes(out, 1)).toBe(0xc0a80001);
  });
});

describe('MAC addresses', () => {
  it('converts to and from six bytes', () => {
    const out = new Uint8Array(8);
    macToBytes('52:54:00:12:34:5f', out, 2);
    expect([...out]).toEqual([0, 0, 0x52, 0x54, 0x00, 0x12, 0x34, 0x5f]);
    expect(macFromBytes(out, 2)).toBe('52:54:00:12:34:5f');
    expect(macFromBytes(new Uint8Array(6).fill(0xff), 0)).toBe(BROADCAST_MAC);
  });

  it('normalises text to lowercase with colons, and refuses non-MACs', () => {
    expect(parseMacAddress('52-54-00-AB-CD-EF')).toBe('52:54:00:ab:cd:ef');
    expect(parseMacAddress('52:54:00:ab:cd')).toBeNull();
    expect(parseMacAddress('52:54:00:ab:cd:eg')).toBeNull();
    expect(() => macToBytes('52:54:00:12:34', new Uint8Array(6), 0)).toThrow(RangeError);
  });
});

describe('subnets', () => {
  it('turns prefix lengths into masks and back', () => {
    expect(prefixToMask(24)).toBe(0xffffff00);
    expect(prefixToMask(32)).toBe(0xffffffff);
    expect(prefixToMask(1)).toBe(0x80000000);
    expect(prefixToMask(0)).toBe(0);
    for (let prefix = 0; prefix <= 32; prefix++) {
      expect(maskToPrefix(prefixToMask(prefix))).toBe(prefix);
    }
    expect(maskToPrefix(0xff00ff00)).toBeNull();
    expect(() => prefixToMask(33)).toThrow(RangeError);
  });

  it('tells whether an address is in a network', () => {
    const net = parseIpv4Address('10.0.2.0')!;
    expect(isInSubnet(parseIpv4Address('10.0.2.15')!, net, 24)).toBe(true);
    expect(isInSubnet(parseIpv4Address('10.0.3.15')!, net, 24)).toBe(false);
    expect(isInSubnet(parseIpv4Address('10.0.3.15')!, net, 16)).toBe(true);
    expect(isInSubnet(parseIpv4Address('200.1.1.1')!, net, 0)).toBe(true);
    expect(isInSubnet(parseIpv4Address('192.168.0.1')!, parseIpv4Address('192.168.0.1')!, 32)).toBe(
      true,
    );
    expect(isInSubnet(parseIpv4Address('192.168.0.2')!, parseIpv4Address('192.168.0.1')!, 32)).toBe(
      false,
    );
  });
});
