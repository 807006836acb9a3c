import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';

/** A TCP socket listening on this machine, as Linux lists it in /proc/net/tcp and /proc/net/tcp6. */
export interface ListeningSocket {
  /** Dotted IPv4 (an IPv4-mapped IPv6 address as the IPv4 one it stands for), or eight IPv6 groups. */
  address: string;
  port: number;
  inode: number;
}

const LISTEN_STATE = '0A';
const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** An address as /proc/net/tcp{,6} writes it: hex 32-bit words, each in the host's byte order. */
function procNetAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => {
    const wordBytes = [...Buffer.from(word, 'hex')];
    return endianness() === 'LE' ? wordBytes.reverse() : wordBytes;
  });
  if (bytes.length === 4) return bytes.join('.');
  if (IPV4_MAPPED_PREFIX.every((byte, index) => bytes[index] === byte)) return bytes.slice(12).join('.');
  const groups = Array.from({ length: 8 }, (_, group) => (bytes[2 * group]! << 8) | bytes[2 * group + 1]!);
  return groups.map((group) => group.toString(16)).join(':');
}

/** Every listening TCP socket of the machine, IPv4 and IPv6. */
export function listeningSockets(): ListeningSocket[] {
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === LISTEN_STATE)
      .map((fields) => {
        const [address, port] = fields[1]!.split(':') as [string, string];
        return { address: procNetAddress(address), port: parseInt(port, 16), inode: Number(fields[9]) };
      }),
  );
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // "pid (command) state ppid ...", the command possibly holding spaces and parentheses.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let next = 0; next < tree.length; next++) tree.push(...(children.get(tree[next]!) ?? []));
  return tree;
}

/** The inodes of the sockets these processes hold open. */
export function socketInodesOf(pids: readonly number[]): Set<number> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // ended meanwhile
    }
    for (const descriptor of descriptors) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${descriptor}`));
        if (socket) inodes.add(Number(socket[1]));
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}
