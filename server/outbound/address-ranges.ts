import { isIPv4, isIPv6 } from "node:net";

/**
 * IPv4 ranges no outbound request may reach unless an admin allowed the host: "this network",
 * private (RFC 1918), carrier-grade NAT, loopback, link-local, IETF protocol assignments,
 * documentation, benchmarking, multicast, reserved and broadcast.
 */
const blockedV4: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

function v4ToNumber(address: string): number {
  return address.split(".").reduce((total, part) => total * 256 + Number(part), 0);
}

const blockedV4Numeric = blockedV4.map(([base, bits]) => ({
  base: v4ToNumber(base),
  size: 2 ** (32 - bits),
}));

function isBlockedV4(address: string): boolean {
  const value = v4ToNumber(address);
  return blockedV4Numeric.some(({ base, size }) => value >= base && value < base + size);
}

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail when present). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0] ?? "";
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const value = v4ToNumber(dotted);
    text = `${text.slice(0, -dotted.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((group) => Number.parseInt(group, 16)) : []);
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  const zeros = new Array<number>(Math.max(8 - start.length - end.length, 0)).fill(0);
  return [...start, ...zeros, ...end];
}

function embeddedV4(groups: number[]): string {
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

function isBlockedV6(address: string): boolean {
  const groups = v6Groups(address);
  const [first = 0, second = 0] = groups;
  const leadingZeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
  // :: (unspecified), ::1 (loopback) and the deprecated IPv4-compatible ::a.b.c.d.
  if (leadingZeros(6)) return true;
  // IPv4-mapped ::ffff:a.b.c.d and NAT64 64:ff9b::a.b.c.d reach an IPv4 host: judge that host.
  if (leadingZeros(5) && groups[5] === 0xffff) return isBlockedV4(embeddedV4(groups));
  if (first === 0x64 && second === 0xff9b && groups.slice(2, 6).every((group) => group === 0)) {
    return isBlockedV4(embeddedV4(groups));
  }
  if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return true; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return true; // ff00::/8 multicast
  if (first === 0x2001 && second === 0x0db8) return true; // documentation
  if (first === 0x2001 && second === 0) return true; // Teredo tunnels to arbitrary IPv4 hosts
  if (first === 0x2002)
    return isBlockedV4(`${second >> 8}.${second & 0xff}.${(groups[2] ?? 0) >> 8}.${(groups[2] ?? 0) & 0xff}`);
  return false;
}

/** Whether an address is loopback, private, link-local, unique-local, CGNAT, multicast or otherwise not public. */
export function isNonPublicAddress(address: string): boolean {
  if (isIPv4(address)) return isBlockedV4(address);
  if (isIPv6(address)) return isBlockedV6(address);
  // Not an address at all: refuse rather than guess.
  return true;
}
