/**
 * appliance/install.sh, run as an ordinary process against a staging root: OPSBOX_ROOT puts
 * every path under it, and appliance/testing/fake-system.sh stands in for apt-get, useradd,
 * chown, systemctl and npm (recording each call), so nothing here touches this machine.
 */
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adaptCaddyfile } from "../server/testing/caddy.ts";
import { makeTempDir } from "../server/testing/harness.ts";
import { testWith } from "../server/testing/tools.ts";

const REPO = join(import.meta.dir, "..");
const BASE_URL = "https://ops.example.test";
const CADDY_DROPIN = "etc/systemd/system/caddy.service.d/opsbox.conf";

type Run = { code: number; out: string; err: string; calls: string[] };

class Stage {
  readonly dir = makeTempDir("opsbox-install-");
  readonly source = join(this.dir, "source");
  readonly root = join(this.dir, "root");
  readonly record = join(this.dir, "record");
  readonly state = join(this.dir, "state");

  constructor(osRelease = 'ID=debian\nVERSION_ID="12"\n') {
    for (const part of ["appliance", "systemd", "package.json", ".env.example", "Caddyfile"]) {
      cpSync(join(REPO, part), join(this.source, part), { recursive: true });
    }
    mkdirSync(join(this.root, "etc"), { recursive: true });
    writeFileSync(join(this.root, "etc", "os-release"), osRelease);
  }

  /** Runs install.sh of the staged source; `calls` are the system commands of this run only. */
  run(args: string[], env: Record<string, string> = {}): Run {
    const before = this.calls().length;
    const result = Bun.spawnSync(["bash", join(this.source, "appliance", "install.sh"), ...args], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        OPSBOX_ROOT: this.root,
        OPSBOX_INSTALL_HOOK: join(this.source, "appliance", "testing", "fake-system.sh"),
        FAKE_RECORD: this.record,
        FAKE_STATE: this.state,
        ...env,
      },
    });
    return {
      code: result.exitCode,
      out: result.stdout.toString(),
      err: result.stderr.toString(),
      calls: this.calls().slice(before),
    };
  }

  calls(): string[] {
    return existsSync(this.record) ? readFileSync(this.record, "utf8").trim().split("\n") : [];
  }

  path(systemPath: string): string {
    return join(this.root, systemPath);
  }

  read(systemPath: string): string {
    return readFileSync(this.path(systemPath), "utf8");
  }

  mode(systemPath: string): string {
    return (statSync(this.path(systemPath)).mode & 0o777).toString(8);
  }

  /** The owner the fake system recorded for a path (root:root when never changed). */
  owner(systemPath: string): string {
    const lines = existsSync(join(this.state, "owners")) ? readFileSync(join(this.state, "owners"), "utf8") : "";
    const entries = lines.split("\n").filter((line) => line.startsWith(`${this.path(systemPath)} `));
    return entries.at(-1)?.split(" ")[1] ?? "root:root";
  }

  installed(): Run {
    const run = this.run(["--base-url", BASE_URL]);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    return run;
  }

  /** A database as a running box leaves it, set up (no setup token on the next start). */
  seedDatabase(): void {
    const db = new Database(this.path("var/lib/opsbox/opsbox.db"));
    db.run("CREATE TABLE notes (body TEXT)");
    db.run("INSERT INTO notes VALUES ('before the upgrade')");
    db.close();
    writeFileSync(this.path("var/lib/opsbox/.set-up"), "");
  }

  /** The next release of the source: a migration run at start, and a code that never gets ready when broken. */
  nextRelease(options: { broken: boolean }): void {
    writeFileSync(
      join(this.source, "MIGRATION.sql"),
      "CREATE TABLE added (x); INSERT INTO notes VALUES ('written by the new version');\n",
    );
    if (options.broken) writeFileSync(join(this.source, "BROKEN"), "");
  }

  /** The Environment= lines of Caddy's drop-in, as the caddy service gets them. */
  caddySettings(): Record<string, string> {
    const lines = this.read(CADDY_DROPIN).match(/^Environment=.*$/gm) ?? [];
    return Object.fromEntries(lines.map((line) => line.slice("Environment=".length).split(/=(.*)/s).slice(0, 2)));
  }

  release(): string {
    return this.read("opt/opsbox/.opsbox-release").trim();
  }

  /** Installs, seeds a database, then upgrades to the next release; answers the release it came from. */
  upgraded(options: { broken: boolean }): { from: string; run: Run } {
    this.installed();
    this.seedDatabase();
    const from = this.release();
    this.nextRelease(options);
    return { from, run: this.run(["--upgrade"]) };
  }

  tables(): string[] {
    return this.column("SELECT name AS value FROM sqlite_master WHERE type = 'table' ORDER BY name");
  }

  notes(file = this.path("var/lib/opsbox/opsbox.db")): string[] {
    return this.column("SELECT body AS value FROM notes", file);
  }

  private column(sql: string, file = this.path("var/lib/opsbox/opsbox.db")): string[] {
    const db = new Database(file, { readonly: true });
    try {
      return db
        .query<{ value: string }, []>(sql)
        .all()
        .map((row) => row.value);
    } finally {
      db.close();
    }
  }
}

const changeLines = (out: string) => out.split("\n").filter((line) => line.startsWith("  changed: "));

describe("install.sh", () => {
  test("a first run installs packages, user, directories, settings, code, unit and CLI, then prints the setup link", () => {
    const stage = new Stage();
    const run = stage.installed();

    expect(run.calls).toContain(
      "apt-get install -y -q --no-install-recommends caddy nodejs npm sqlite3 curl ca-certificates",
    );
    expect(run.calls).toContain(
      "useradd --system --user-group --home-dir /var/lib/opsbox --no-create-home --shell /usr/sbin/nologin --comment Opsbox opsbox",
    );
    // Bun comes pinned from npm on its own, and is what the package's postinstall runs.
    const bunVersion = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).devDependencies.bun;
    const release = stage.path("opt/opsbox.new");
    expect(run.calls).toContain(
      `npm install --prefix ${release}/runtime --no-save --no-audit --no-fund bun@${bunVersion}`,
    );
    expect(run.calls).toContain(`npm ci --prefix ${release} --omit=dev --no-audit --no-fund`);
    expect(run.calls).toContain(`postinstall bun: ${release}/runtime/node_modules/.bin/bun`);
    // The bundle is built again where it runs: it records its tree's absolute paths.
    expect(run.calls).toContain(`cwd: ${stage.path("opt/opsbox")}`);
    expect(run.calls).toContain("systemctl start opsbox");
    expect(run.calls).toContain("systemctl enable --now --quiet caddy");
    expect(run.calls.at(-1)).toBe(`${stage.path("opt/opsbox")}/appliance/wait-ready.sh 120 --ready`);

    const expected: [string, string, string][] = [
      ["var/lib/opsbox", "750", "opsbox:opsbox"],
      ["etc/opsbox", "750", "root:opsbox"],
      ["etc/opsbox/opsbox.env", "640", "root:opsbox"],
      ["etc/systemd/system/opsbox.service", "644", "root:root"],
      ["usr/local/bin/opsbox", "755", "root:root"],
    ];
    for (const [path, mode, owner] of expected) {
      expect([path, stage.mode(path), stage.owner(path)]).toEqual([path, mode, owner]);
    }
    expect(stage.read("etc/systemd/system/opsbox.service")).toBe(
      readFileSync(join(REPO, "systemd", "opsbox.service"), "utf8"),
    );
    const env = stage.read("etc/opsbox/opsbox.env");
    expect(env).toContain(`OPSBOX_BASE_URL=${BASE_URL}\n`);
    expect(env).toContain("OPSBOX_DATA_DIR=/var/lib/opsbox\n");
    expect(env).toContain("OPSBOX_TRUSTED_PROXIES=127.0.0.1,::1\n");
    expect(stage.read("opt/opsbox/.opsbox-release")).toMatch(/^0\.1\.0-[0-9a-f]{12}\n$/);

    const token = stage.read("var/lib/opsbox/setup-token").trim();
    expect(run.out).toContain(`Set Opsbox up: open ${BASE_URL}/setup?token=${token}`);
    expect(stage.read("etc/caddy/Caddyfile")).toBe(readFileSync(join(REPO, "Caddyfile"), "utf8"));
    expect(stage.caddySettings()).toEqual({
      OPSBOX_DOMAIN: "ops.example.test",
      OPSBOX_TLS: "acme",
      OPSBOX_UPSTREAM: "127.0.0.1:3000",
    });
  });

  test("a source without a Caddyfile leaves Caddy's configuration and settings alone", () => {
    const stage = new Stage();
    rmSync(join(stage.source, "Caddyfile"));
    const run = stage.installed();
    expect(run.out).toContain("this source has no Caddyfile");
    expect(existsSync(stage.path("etc/caddy/Caddyfile"))).toBe(false);
    expect(existsSync(stage.path(CADDY_DROPIN))).toBe(false);
  });

  test("a second run changes nothing and says so, and keeps the operator's edits of the settings", () => {
    const stage = new Stage();
    stage.installed();
    const edited = `${stage.read("etc/opsbox/opsbox.env")}OPSBOX_LOG_LEVEL=debug\n`;
    writeFileSync(stage.path("etc/opsbox/opsbox.env"), edited);

    const again = stage.run([]);
    expect(again.code).toBe(0);
    expect(changeLines(again.out)).toEqual([]);
    expect(again.out).toMatch(/Nothing changed: Opsbox 0\.1\.0-[0-9a-f]{12} is installed and ready\./);
    const changing = again.calls.filter((call) =>
      /^(apt-get|useradd|chown|npm|systemctl (start|restart|enable|daemon-reload))/.test(call),
    );
    expect(changing).toEqual([]);
    expect(stage.read("etc/opsbox/opsbox.env")).toBe(edited);
  });

  test("a run puts back a mode or a unit that drifted, and restarts for the unit", () => {
    const stage = new Stage();
    stage.installed();
    Bun.spawnSync(["chmod", "644", stage.path("etc/opsbox/opsbox.env")]);
    writeFileSync(stage.path("etc/systemd/system/opsbox.service"), "[Service]\nExecStart=/bin/true\n");

    const run = stage.run([]);
    expect(run.code).toBe(0);
    expect(changeLines(run.out)).toEqual([
      "  changed: mode 0640 on /etc/opsbox/opsbox.env",
      "  changed: wrote /etc/systemd/system/opsbox.service (0644 root:root)",
      "  changed: restarted opsbox.service",
    ]);
    expect(run.calls).toContain("systemctl daemon-reload");
    expect(stage.mode("etc/opsbox/opsbox.env")).toBe("640");
  });

  test("a plain run leaves newer code for --upgrade", () => {
    const stage = new Stage();
    stage.installed();
    const installed = stage.read("opt/opsbox/.opsbox-release");
    stage.nextRelease({ broken: false });

    const run = stage.run([]);
    expect(run.code).toBe(0);
    expect(run.out).toContain("run with --upgrade to install it");
    expect(stage.read("opt/opsbox/.opsbox-release")).toBe(installed);
  });

  testWith("sqlite3", "--upgrade snapshots the database with the service stopped, then runs the new code", () => {
    const stage = new Stage();
    const { from, run } = stage.upgraded({ broken: false });
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const to = stage.release();
    expect(to).not.toBe(from);
    expect(run.out).toContain(`Upgraded Opsbox from ${from} to ${to}.`);
    // Built while the old version still serves; stopped before the snapshot; started on the new code.
    const order = ["npm ci", "systemctl stop opsbox", "systemctl start opsbox"].map((prefix) =>
      run.calls.findIndex((call) => call.startsWith(prefix)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThanOrEqual(0);

    expect(stage.tables()).toEqual(["added", "notes"]);
    const snapshots = readdirSync(stage.path("var/lib/opsbox/upgrade-snapshots"));
    expect(snapshots).toEqual([expect.stringMatching(new RegExp(`^opsbox-${from}-\\d{8}T\\d{6}Z\\.db$`))]);
    const snapshot = `var/lib/opsbox/upgrade-snapshots/${snapshots[0]}`;
    expect(stage.mode(snapshot)).toBe("600");
    expect(stage.notes(stage.path(snapshot))).toEqual(["before the upgrade"]);
    expect(stage.read("opt/opsbox.previous/.opsbox-release").trim()).toBe(from);

    const again = stage.run(["--upgrade"]);
    expect(again.out).toContain(`Nothing changed: Opsbox ${to} is already installed.`);
    expect(again.calls.filter((call) => call.startsWith("systemctl"))).toEqual([]);
  });

  testWith("sqlite3", "--upgrade puts the previous code and database back when the new version is not ready", () => {
    const stage = new Stage();
    const { from, run } = stage.upgraded({ broken: true });
    expect(run.code).toBe(1);
    expect(run.out).toContain(`did not become ready: rolling back to ${from}`);
    expect(run.err).toContain(`Opsbox ${from} runs again on its database from before the upgrade`);
    expect(stage.release()).toBe(from);
    expect(existsSync(stage.path("opt/opsbox.failed/BROKEN"))).toBe(true);
    // The new version's migration ran, and is undone with its rows.
    expect(stage.tables()).toEqual(["notes"]);
    expect(stage.notes()).toEqual(["before the upgrade"]);
    expect(stage.owner("var/lib/opsbox/opsbox.db")).toBe("opsbox:opsbox");
    expect(run.calls.at(-1)).toBe(`${stage.path("opt/opsbox")}/appliance/wait-ready.sh 120 --ready`);
  });

  test("--uninstall keeps the data and settings and puts Caddy's configuration back; --purge deletes them", () => {
    const stage = new Stage();
    writeFileSync(join(stage.source, "Caddyfile"), "example.test {\n\treverse_proxy 127.0.0.1:3000\n}\n");
    mkdirSync(stage.path("etc/caddy"), { recursive: true });
    writeFileSync(stage.path("etc/caddy/Caddyfile"), "# Debian's default\n");
    stage.installed();
    expect(stage.read("etc/caddy/Caddyfile")).toContain("reverse_proxy 127.0.0.1:3000");
    writeFileSync(stage.path("var/lib/opsbox/opsbox.db"), "data");

    const run = stage.run(["--uninstall"]);
    expect(run.code).toBe(0);
    expect(run.calls).toContain("systemctl disable --now --quiet opsbox");
    for (const gone of ["etc/systemd/system/opsbox.service", "opt/opsbox", "usr/local/bin/opsbox"]) {
      expect([gone, existsSync(stage.path(gone))]).toEqual([gone, false]);
    }
    expect(stage.read("var/lib/opsbox/opsbox.db")).toBe("data");
    expect(existsSync(stage.path("etc/opsbox/opsbox.env"))).toBe(true);
    expect(stage.read("etc/caddy/Caddyfile")).toBe("# Debian's default\n");
    // Caddy's settings go with Opsbox; a restart (not a reload) drops them from its environment.
    expect(existsSync(stage.path("etc/systemd/system/caddy.service.d"))).toBe(false);
    expect(run.calls).toContain("systemctl try-restart caddy");
    expect(run.out).toContain("Kept the data in /var/lib/opsbox and the settings in /etc/opsbox");

    const purge = stage.run(["--uninstall", "--purge"]);
    expect(purge.code).toBe(0);
    expect(existsSync(stage.path("var/lib/opsbox"))).toBe(false);
    expect(existsSync(stage.path("etc/opsbox"))).toBe(false);
    expect(purge.calls).toContain("userdel opsbox");
    expect(stage.read("etc/passwd")).not.toContain("opsbox:");

    expect(stage.run(["--uninstall", "--purge"]).out).toContain("Nothing changed: Opsbox is not installed.");
  });

  test("refuses a staging root without a hook, an unknown system and stray options", () => {
    const stage = new Stage();
    const unhooked = stage.run([], { OPSBOX_INSTALL_HOOK: "" });
    expect([unhooked.code, unhooked.err.trim()]).toEqual([
      1,
      "install.sh: OPSBOX_ROOT needs OPSBOX_INSTALL_HOOK, so that a staged run never changes this system",
    ]);
    expect(stage.run(["--purge"]).err).toContain("--purge goes with --uninstall");
    expect(stage.run(["--base-url", "ops.example.test"]).err).toContain("--base-url takes an https URL");
    expect(stage.run(["--base-url", "http://ops.example.test"]).err).toContain("--base-url takes an https URL");
    expect(stage.run(["--tls", "letsencrypt"]).err).toContain("--tls takes acme (a public name) or internal");
    expect(stage.run(["--acme-email", "admin at example.com"]).err).toContain("--acme-email takes an e-mail address");
    expect(stage.run(["--upgrade", "--tls", "internal"]).err).toContain(
      "--tls and --acme-email go with an install run",
    );
    expect(new Stage('ID=fedora\nVERSION_ID="40"\n').run([]).err).toContain("this is 'fedora'");
    expect(stage.calls()).toEqual([]);
  });
});

describe("install.sh gives Caddy its settings", () => {
  test("an address, a LAN name or a single label gets Caddy's own CA, and the root certificate's path is printed", () => {
    const stage = new Stage();
    const run = stage.run(["--base-url", "https://192.168.1.20"]);
    expect(run.code).toBe(0);
    expect(stage.caddySettings()).toEqual({
      OPSBOX_DOMAIN: "192.168.1.20",
      OPSBOX_TLS: "internal",
      OPSBOX_UPSTREAM: "127.0.0.1:3000",
    });
    expect(run.out).toContain(
      "trust its root certificate once on every computer and phone that opens Opsbox; copy it from /var/lib/caddy/.local/share/caddy/pki/authorities/local/root.crt",
    );
    expect([stage.mode(CADDY_DROPIN), stage.owner(CADDY_DROPIN)]).toEqual(["644", "root:root"]);
    expect(run.calls).toContain("systemctl daemon-reload");

    const named = new Stage();
    expect(named.run(["--base-url", "https://Opsbox.LAN:8443"]).code).toBe(0);
    expect(named.caddySettings()).toEqual({
      OPSBOX_DOMAIN: "opsbox.lan",
      OPSBOX_TLS: "internal",
      OPSBOX_HTTPS_PORT: "8443",
      OPSBOX_UPSTREAM: "127.0.0.1:3000",
    });
  });

  test("which names Caddy certifies itself and which it asks an ACME CA for", () => {
    const names = {
      "ops.example.com": "acme",
      "opsbox.example.co.uk": "acme",
      "192.168.1.20": "internal",
      "[fd00::5]": "internal",
      localhost: "internal",
      opsbox: "internal",
      "opsbox.lan": "internal",
      "opsbox.local": "internal",
      "opsbox.home.arpa": "internal",
      "opsbox.internal": "internal",
      "lan.example.com": "acme",
    };
    const script = `source ${join(REPO, "appliance", "caddy-settings.sh")}; for name; do automatic_tls "$name"; done`;
    const result = Bun.spawnSync(["bash", "-c", script, "bash", ...Object.keys(names)]);
    expect(result.stdout.toString().trim().split("\n")).toEqual(Object.values(names));
  });

  test("--tls overrides the choice and later runs keep it, until --tls gives the automatic one again", () => {
    const stage = new Stage();
    stage.run(["--base-url", BASE_URL, "--tls", "internal"]);
    expect(stage.caddySettings().OPSBOX_TLS).toBe("internal");
    expect(stage.run([]).out).toContain("Nothing changed");
    expect(stage.caddySettings().OPSBOX_TLS).toBe("internal");

    expect(stage.run(["--tls", "acme"]).code).toBe(0);
    expect(stage.caddySettings().OPSBOX_TLS).toBe("acme");
    // Automatic again: a LAN name in OPSBOX_BASE_URL now gets Caddy's own CA.
    writeFileSync(
      stage.path("etc/opsbox/opsbox.env"),
      stage.read("etc/opsbox/opsbox.env").replace(BASE_URL, "https://ops.home.arpa"),
    );
    const moved = stage.run([]);
    expect(stage.caddySettings()).toMatchObject({ OPSBOX_DOMAIN: "ops.home.arpa", OPSBOX_TLS: "internal" });
    expect(changeLines(moved.out)).toEqual([
      "  changed: wrote /etc/systemd/system/caddy.service.d/opsbox.conf (0644 root:root)",
      "  changed: restarted caddy.service",
    ]);
  });

  test("--acme-email adds the ACME contact, later runs keep it, and an empty one removes it", () => {
    const stage = new Stage();
    stage.run(["--base-url", BASE_URL, "--acme-email", "admin@example.com"]);
    expect(stage.caddySettings()).toEqual({
      OPSBOX_DOMAIN: "ops.example.test",
      OPSBOX_TLS: "acme",
      OPSBOX_ACME_EMAIL: "admin@example.com",
      OPSBOX_UPSTREAM: "127.0.0.1:3000",
    });
    expect(changeLines(stage.run([]).out)).toEqual([]);
    expect(stage.caddySettings().OPSBOX_ACME_EMAIL).toBe("admin@example.com");

    stage.run(["--acme-email", ""]);
    expect(stage.caddySettings().OPSBOX_ACME_EMAIL).toBeUndefined();
  });

  test("the upstream follows HOST and PORT (quoted as systemd allows), an edit of the drop-in is put back, and caddy restarts for each", () => {
    const stage = new Stage();
    stage.installed();
    const env = stage
      .read("etc/opsbox/opsbox.env")
      .replace("PORT=3000", 'PORT="3100"')
      .replace("HOST=127.0.0.1", "HOST=::");
    writeFileSync(stage.path("etc/opsbox/opsbox.env"), env);
    const moved = stage.run([]);
    expect(stage.caddySettings().OPSBOX_UPSTREAM).toBe("[::1]:3100");
    expect(moved.calls).toEqual(expect.arrayContaining(["systemctl daemon-reload", "systemctl restart caddy"]));

    const written = stage.read(CADDY_DROPIN);
    writeFileSync(stage.path(CADDY_DROPIN), `${written}Environment=OPSBOX_CADDY_BIND=10.0.0.2\n`);
    const put = stage.run([]);
    expect(stage.read(CADDY_DROPIN)).toBe(written);
    expect(changeLines(put.out)).toEqual([
      "  changed: wrote /etc/systemd/system/caddy.service.d/opsbox.conf (0644 root:root)",
      "  changed: restarted caddy.service",
    ]);
  });

  test("an http:// OPSBOX_BASE_URL in the settings is named, and Caddy still serves its name over https", () => {
    const stage = new Stage();
    stage.installed();
    writeFileSync(
      stage.path("etc/opsbox/opsbox.env"),
      stage.read("etc/opsbox/opsbox.env").replace(BASE_URL, "http://ops.example.test:3000"),
    );
    const run = stage.run([]);
    expect(run.out).toContain("warning: OPSBOX_BASE_URL in /etc/opsbox/opsbox.env is http://");
    expect(stage.caddySettings()).toEqual({
      OPSBOX_DOMAIN: "ops.example.test",
      OPSBOX_TLS: "acme",
      OPSBOX_UPSTREAM: "127.0.0.1:3000",
    });
  });

  testWith("systemd-analyze", "systemd reads the drop-in for the caddy unit without a warning", () => {
    const stage = new Stage();
    stage.run(["--base-url", "https://[fd00::5]:8443", "--acme-email", "admin+ops@example.com"]);
    // A stand-in caddy.service: what is checked is how systemd reads the drop-in beside it.
    const units = join(stage.dir, "units");
    mkdirSync(join(units, "caddy.service.d"), { recursive: true });
    writeFileSync(join(units, "caddy.service"), "[Unit]\nDescription=Caddy\n[Service]\nExecStart=/usr/bin/env true\n");
    cpSync(stage.path(CADDY_DROPIN), join(units, "caddy.service.d", "opsbox.conf"));
    const result = Bun.spawnSync(["systemd-analyze", "verify", "--man=no", "caddy.service"], {
      cwd: units,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", SYSTEMD_UNIT_PATH: `${units}:` },
    });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.exitCode).toBe(0);
  });

  testWith(
    "caddy",
    "caddy adapt makes a valid configuration of the Caddyfile with each drop-in's settings",
    async () => {
      const configs: Record<string, unknown>[] = [];
      for (const args of [
        ["--base-url", "https://ops.example.com", "--acme-email", "admin@example.com"],
        ["--base-url", "https://192.168.1.20"],
        ["--base-url", "https://[fd00::5]:8443"],
      ]) {
        const stage = new Stage();
        expect(stage.run(args).code).toBe(0);
        configs.push(await adaptCaddyfile(stage.caddySettings()));
      }
      const summary = configs.map((config) => {
        const apps = config.apps as {
          http: { servers: Record<string, { listen: string[]; routes: { match: { host: string[] }[] }[] }> };
          tls: { automation: { policies: { subjects: string[]; issuers: { module: string; email?: string }[] }[] } };
        };
        const server = Object.values(apps.http.servers)[0];
        return {
          listen: server?.listen,
          host: server?.routes[0]?.match[0]?.host,
          issuers: apps.tls.automation.policies.flatMap((policy) => policy.issuers),
          upstream: JSON.stringify(config).match(/"dial":"([^"]+)"/)?.[1],
        };
      });
      expect(summary).toEqual([
        {
          listen: [":443"],
          host: ["ops.example.com"],
          issuers: [
            { module: "acme", email: "admin@example.com" },
            { module: "zerossl", email: "admin@example.com" },
          ],
          upstream: "127.0.0.1:3000",
        },
        { listen: [":443"], host: ["192.168.1.20"], issuers: [{ module: "internal" }], upstream: "127.0.0.1:3000" },
        { listen: [":8443"], host: ["fd00::5"], issuers: [{ module: "internal" }], upstream: "127.0.0.1:3000" },
      ]);
    },
  );
});

testWith("shellcheck", "the appliance's shell scripts pass shellcheck", () => {
  const scripts = ["install.sh", "caddy-settings.sh", "wait-ready.sh", "opsbox-cli.sh", "testing/fake-system.sh"];
  const result = Bun.spawnSync(["shellcheck", "--external-sources", ...scripts], { cwd: import.meta.dir });
  expect(result.stdout.toString()).toBe("");
  expect(result.exitCode).toBe(0);
});
