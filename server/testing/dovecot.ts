import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { freePort } from "./harness.ts";

/** Debian's dovecot-imapd, where tests look for it. */
export const DOVECOT_PATH = ["/usr/sbin/dovecot", "/usr/bin/dovecot"].find((path) => existsSync(path)) ?? null;

export type Dovecot = {
  host: string;
  port: number;
  /** Puts a message in a user's INBOX over IMAP (APPEND), unread unless `seen`. */
  deliver: (user: string, raw: string | Uint8Array, options?: { seen?: boolean }) => Promise<void>;
  /** The UIDs of a user's INBOX messages with their flags. */
  inbox: (user: string) => Promise<{ uid: number; flags: string[] }[]>;
  /** Stops dovecot and removes its directory. */
  stop: () => Promise<void>;
};

/**
 * A real dovecot IMAP server for one test file, on a random loopback port: its own config,
 * users (name → password) in a passwd-file, maildirs and runtime files in a temporary directory.
 * As a normal user dovecot runs everything as that user; as root (a container) its login and
 * internal processes drop to Debian's dovenull/dovecot users and mail belongs to nobody, so the
 * directory is made readable for them.
 */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!DOVECOT_PATH) throw new Error("dovecot not found (apt-get install dovecot-imapd)");
  const root = process.getuid?.() === 0;
  // Under root its processes run as other users, who must reach the directory: /tmp, not the tests' private one.
  const dir = mkdtempSync(join(root ? "/tmp" : (process.env.TMPDIR ?? "/tmp"), "opsbox-dovecot-"));
  chmodSync(dir, 0o755);
  const port = freePort();
  const me = userInfo();
  const mailUser = root ? "nobody" : me.username;
  const mailGroup = root ? "nogroup" : String(me.gid);
  for (const sub of ["mail", "home"]) {
    mkdirSync(join(dir, sub));
    if (root) chownSync(join(dir, sub), 65534, 65534);
  }
  writeFileSync(
    join(dir, "users"),
    Object.entries(users)
      .map(([name, password]) => `${name}:{PLAIN}${password}\n`)
      .join(""),
    { mode: 0o644 },
  );
  writeFileSync(join(dir, "dovecot.conf"), config(dir, port, root ? null : me.username, mailUser, mailGroup));
  const process_ = Bun.spawn([DOVECOT_PATH, "-F", "-c", join(dir, "dovecot.conf")], {
    stdout: "ignore",
    stderr: "pipe",
  });
  await waitForGreeting(port, process_);
  const connect = async (user: string) => {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port,
      secure: false,
      auth: { user, pass: users[user] ?? "" },
      logger: false,
    });
    await client.connect();
    return client;
  };
  return {
    host: "127.0.0.1",
    port,
    deliver: async (user, raw, options = {}) => {
      const client = await connect(user);
      try {
        await client.append("INBOX", Buffer.from(raw), options.seen ? ["\\Seen"] : []);
      } finally {
        await client.logout();
      }
    },
    inbox: async (user) => {
      const client = await connect(user);
      try {
        await client.mailboxOpen("INBOX");
        const messages = await client.fetchAll("1:*", { uid: true, flags: true });
        return messages.map((message) => ({ uid: message.uid, flags: [...(message.flags ?? [])] }));
      } catch {
        return [];
      } finally {
        await client.logout();
      }
    },
    stop: async () => {
      process_.kill("SIGTERM");
      await process_.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function config(dir: string, port: number, runAs: string | null, mailUser: string, mailGroup: string): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = opsbox-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 0
first_valid_gid = 0
${runAs ? `default_login_user = ${runAs}\ndefault_internal_user = ${runAs}\ndefault_internal_group = ${mailGroup}\n` : ""}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${mailUser} gid=${mailGroup} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
`;
}

/** Polls the port until dovecot greets; throws with its stderr if it exits first. */
async function waitForGreeting(port: number, child: Bun.Subprocess<"ignore", "ignore", "pipe">): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited: ${await new Response(child.stderr).text()}`);
    const greeted = await new Promise<boolean>((resolve) => {
      Bun.connect({
        hostname: "127.0.0.1",
        port,
        socket: {
          data: (socket, data) => {
            socket.end();
            resolve(data.toString().startsWith("* OK"));
          },
          error: () => resolve(false),
          connectError: () => resolve(false),
        },
      }).catch(() => resolve(false));
    });
    if (greeted) return;
    await Bun.sleep(50);
  }
  child.kill();
  throw new Error("dovecot did not start within 10 s");
}
