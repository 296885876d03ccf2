/**
 * The DNS server at 10.0.2.3, the address QEMU's user networking gives its
 * resolver: a host of its own on the switch (MAC 52:55:0a:00:02:03, as
 * slirp derives it from the address) that answers UDP queries on port 53
 * from the book's zone (book-hosts.ts) and nothing else.
 *
 * Answers follow RFC 1034 §4.3.2: a CNAME is followed within the zone and
 * both records answer (www.example.com → example.com → its A record); a
 * name with records, but none of the type asked for, gets an empty
 * NOERROR answer ("no data"), as does a name that only has names below it
 * (`cotton.test`); any other name is NXDOMAIN. Malformed queries get
 * FORMERR when their header can be read (RFC 1035 §4.1.1) and silence
 * when it cannot, or when the message is itself a response; opcodes other
 * than QUERY get NOTIMP, classes other than IN are REFUSED.
 */
import type { DeviceState } from '../device-state';
import { BOOK_ZONE_APEXES, type ZoneEntry } from './book-hosts';
import {
  buildDnsMessage,
  DNS_CLASS_IN,
  DNS_FLAG_AUTHORITATIVE,
  DNS_FLAG_RECURSION_AVAILABLE,
  DNS_FLAG_RECURSION_DESIRED,
  DNS_FLAG_RESPONSE,
  DNS_OPCODE_QUERY,
  DNS_PORT,
  DNS_RCODE_FORMERR,
  DNS_RCODE_NOERROR,
  DNS_RCODE_NOTIMP,
  DNS_RCODE_NXDOMAIN,
  DNS_RCODE_REFUSED,
  DNS_TYPE_A,
  DNS_TYPE_ANY,
  DNS_TYPE_CNAME,
  dnsOpcode,
  DnsFormatError,
  encodeDnsName,
  parseDnsHeader,
  parseDnsMessage,
  type DnsHeader,
  type DnsQuestion,
  type DnsRecord,
} from './dns';
import { parseMac } from './ethernet';
import { parseIpv4 } from './ipv4';
import type { SeededRandom } from './seeded-random';
import { ServiceHost, type UdpReply, type UdpRequest, type UdpService } from './service-host';

export const DNS_SERVER_IP = '10.0.2.3';
export const DNS_SERVER_MAC = '52:55:0a:00:02:03';
/** CNAME hops followed before giving up on a chain (a loop in the zone would be a book bug). */
const MAX_CNAME_CHAIN = 8;

/** A record of the zone, with a CNAME's target name as text. */
interface ZoneRecord extends DnsRecord {
  readonly target: string | null;
}

interface Resolution {
  readonly rcode: number;
  readonly answers: DnsRecord[];
}

/** The zone as records, and the lookups of RFC 1034 §4.3.2. */
export class DnsZone {
  private readonly records: readonly ZoneRecord[];

  constructor(entries: readonly ZoneEntry[]) {
    this.records = entries.map((entry) => ({
      name: entry.name.toLowerCase(),
      type: entry.type === 'A' ? DNS_TYPE_A : DNS_TYPE_CNAME,
      class: DNS_CLASS_IN,
      ttl: entry.ttl,
      data: entry.type === 'A' ? parseIpv4(entry.value) : encodeDnsName(entry.value.toLowerCase()),
      target: entry.type === 'CNAME' ? entry.value.toLowerCase() : null,
    }));
  }

  resolve(question: DnsQuestion): Resolution {
    const answers: DnsRecord[] = [];
    let name = question.name.toLowerCase();
    let owner = question.name;
    for (let hop = 0; hop <= MAX_CNAME_CHAIN; hop++) {
      const records = this.records.filter((record) => record.name === name);
      if (records.length === 0) {
        return {
          rcode: this.hasNamesBelow(name) ? DNS_RCODE_NOERROR : DNS_RCODE_NXDOMAIN,
          answers,
        };
      }
      const alias = records.find((record) => record.type === DNS_TYPE_CNAME);
      const wantsAlias = question.type === DNS_TYPE_CNAME || question.type === DNS_TYPE_ANY;
      if (!alias || wantsAlias) {
        const matching = records.filter(
          (record) => question.type === DNS_TYPE_ANY || record.type === question.type,
        );
        answers.push(...matching.map((record) => answerRecord(record, owner)));
        return { rcode: DNS_RCODE_NOERROR, answers };
      }
      answers.push(answerRecord(alias, owner));
      name = owner = alias.target!;
    }
    return { rcode: DNS_RCODE_NOERROR, answers };
  }

  private hasNamesBelow(name: string): boolean {
    return this.records.some((record) => record.name.endsWith(`.${name}`));
  }
}

function answerRecord(record: ZoneRecord, owner: string): DnsRecord {
  return {
    name: owner,
    type: record.type,
    class: record.class,
    ttl: record.ttl,
    data: record.data,
  };
}

function isInZone(name: string): boolean {
  const lower = name.toLowerCase();
  return BOOK_ZONE_APEXES.some((apex) => lower === apex || lower.endsWith(`.${apex}`));
}

/** The UDP service on port 53: one query in, one response (or nothing) out. */
export class DnsService implements UdpService {
  queriesAnswered = 0;
  formatErrors = 0;

  constructor(private readonly zone: DnsZone) {}

  receive(request: UdpRequest): UdpReply | null {
    const header = parseDnsHeader(request.payload);
    if (!header || header.flags & DNS_FLAG_RESPONSE) return null;
    this.queriesAnswered++;
    return { payload: this.respond(header, request.payload) };
  }

  saveState(): DeviceState {
    return { queriesAnswered: this.queriesAnswered, formatErrors: this.formatErrors };
  }

  private respond(header: DnsHeader, bytes: Uint8Array): Uint8Array {
    if (dnsOpcode(header.flags) !== DNS_OPCODE_QUERY) return this.bare(header, DNS_RCODE_NOTIMP);
    let question: DnsQuestion;
    try {
      const message = parseDnsMessage(bytes);
      if (message.questions.length !== 1)
        throw new DnsFormatError('a query asks exactly one question');
      question = message.questions[0]!;
    } catch (error) {
      if (!(error instanceof DnsFormatError)) throw error;
      this.formatErrors++;
      return this.bare(header, DNS_RCODE_FORMERR);
    }
    if (question.class !== DNS_CLASS_IN)
      return this.answer(header, question, { rcode: DNS_RCODE_REFUSED, answers: [] });
    return this.answer(header, question, this.zone.resolve(question));
  }

  private flags(header: DnsHeader, rcode: number, authoritative: boolean): number {
    const copied = header.flags & (0x7800 | DNS_FLAG_RECURSION_DESIRED); // opcode and RD
    return (
      DNS_FLAG_RESPONSE |
      copied |
      DNS_FLAG_RECURSION_AVAILABLE |
      (authoritative ? DNS_FLAG_AUTHORITATIVE : 0) |
      rcode
    );
  }

  /** A header-only response: the query could not be read, or is of an unsupported kind. */
  private bare(header: DnsHeader, rcode: number): Uint8Array {
    return buildDnsMessage({
      id: header.id,
      flags: this.flags(header, rcode, false),
      questions: [],
      answers: [],
      authority: [],
      additional: [],
    });
  }

  private answer(header: DnsHeader, question: DnsQuestion, resolution: Resolution): Uint8Array {
    const flags = this.flags(header, resolution.rcode, isInZone(question.name));
    return buildDnsMessage({
      id: header.id,
      flags,
      questions: [question],
      answers: resolution.answers,
      authority: [],
      additional: [],
    });
  }
}

/** The host at 10.0.2.3: pings, and DNS on UDP port 53. */
export class DnsServer extends ServiceHost {
  readonly service: DnsService;

  constructor(zone: DnsZone, random: SeededRandom) {
    super('dns', parseMac(DNS_SERVER_MAC), [parseIpv4(DNS_SERVER_IP)], random);
    this.service = new DnsService(zone);
    this.addUdpService(parseIpv4(DNS_SERVER_IP), DNS_PORT, this.service);
  }
}
