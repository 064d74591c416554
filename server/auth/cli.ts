import type { Command } from "commander";

/** Registers the CLI commands of this capability: orgs create. */
export function registerIdentityCommands(_program: Command): void {}
